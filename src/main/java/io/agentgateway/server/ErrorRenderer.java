package io.agentgateway.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a {@link GatewayError} as a listener's wire format. Called once per failed exchange,
 * only while the response has not started; implementations set status, headers and body and end
 * the response.
 */
@FunctionalInterface
public interface ErrorRenderer {
    void render(Exchange exchange, GatewayError error);

    /**
     * Ends the exchange's response as one JSON error object: the error's status and headers (a
     * {@code Retry-After}, an {@code Allow}), {@code content-type: application/json}, then
     * {@code body}. For wire formats whose errors are a JSON body under the HTTP status.
     */
    static void endJson(Exchange exchange, GatewayError error, Buffer body) {
        HttpServerResponse response = exchange.response();
        response.setStatusCode(error.status());
        response.headers().addAll(error.headers());
        response.putHeader("content-type", "application/json");
        response.end(body);
    }
}
