package io.agentgateway.kube;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One request to an identity endpoint (API server, OIDC issuer) and its body, bounded in size and
 * time: a slow or huge answer fails the future instead of holding a request or memory. The
 * bearer token, when given, is sent only in the {@code Authorization} header and never appears
 * in a failure message.
 */
public final class HttpExchange {
    /** A response: status and the whole (bounded) body. */
    public record Response(int status, String statusMessage, Buffer body) {
    }

    private HttpExchange() {
    }

    /**
     * @param bearer  the token for {@code Authorization: Bearer}, or null for none
     * @param body    a JSON body, or null
     * @param maxBody the largest body accepted; larger fails the future
     */
    public static Future<Response> send(HttpClient client, HttpMethod method, URI uri, String bearer, Buffer body,
                                        Duration timeout, int maxBody) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setAbsoluteURI(uri.toString())
                .setConnectTimeout(Math.min(timeout.toMillis(), 5_000))
                .setIdleTimeout(timeout.toMillis())
                .setFollowRedirects(false);
        MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
        headers.set("accept", "application/json");
        if (bearer != null && !bearer.isEmpty()) {
            headers.set("authorization", "Bearer " + bearer);
        }
        if (body != null) {
            headers.set("content-type", "application/json");
        }
        options.setHeaders(headers);
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> read(response, maxBody))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Future<Response> read(HttpClientResponse response, int maxBody) {
        String length = response.getHeader("content-length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBody) {
                    response.request().reset();
                    return Future.failedFuture("the response is larger than " + maxBody + " bytes");
                }
            } catch (NumberFormatException e) {
                return Future.failedFuture("the response has an invalid content-length");
            }
        }
        Buffer out = Buffer.buffer();
        io.vertx.core.Promise<Response> done = io.vertx.core.Promise.promise();
        response.handler(chunk -> {
            if (out.length() + chunk.length() > maxBody) {
                response.request().reset();
                done.tryFail("the response is larger than " + maxBody + " bytes");
            } else {
                out.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(done::tryFail);
        response.endHandler(v -> done.tryComplete(new Response(response.statusCode(), response.statusMessage(), out)));
        return done.future();
    }
}
