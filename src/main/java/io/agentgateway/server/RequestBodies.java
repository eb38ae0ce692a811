package io.agentgateway.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit without ever holding more than the limit: a declared
 * {@code Content-Length} over it is refused before reading, a chunked body is refused as soon as
 * it passes it (and the connection is closed after the answer, as the rest is unread).
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    public static Future<Buffer> read(HttpServerRequest request, long limit) {
        String declared = request.getHeader("content-length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(GatewayError.invalid("Content-Length is not a number", null));
            }
            if (length > limit) {
                return Future.failedFuture(tooLarge(limit));
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(length > 0 ? (int) length : 1024);
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                request.pause();
                promise.tryFail(tooLarge(limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> promise.tryFail(new GatewayError(ErrorKind.CLIENT_CLOSED, 499,
                "client_closed", "the client closed the connection while sending the request", null, e)));
        request.endHandler(v -> promise.tryComplete(body));
        request.resume();
        return promise.future();
    }

    private static GatewayError tooLarge(long limit) {
        return new GatewayError(ErrorKind.PAYLOAD_TOO_LARGE, 413, "request_too_large",
                "the request body is larger than the listener's max_body_size of " + limit + " bytes", null, null);
    }
}
