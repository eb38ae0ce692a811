package io.agentgateway.server;

/**
 * Writes a {@link GatewayError} as a listener's wire format. Called once per failed exchange,
 * only while the response has not started; implementations set status, headers and body and end
 * the response.
 */
@FunctionalInterface
public interface ErrorRenderer {
    void render(Exchange exchange, GatewayError error);
}
