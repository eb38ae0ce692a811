package io.agentgateway.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit without ever holding more than the limit: a declared
 * {@code Content-Length} over it is refused before reading, a chunked body is refused as soon as
 * it passes it (and the connection is closed after the answer, as the rest is unread).
 *
 * <p>The body is returned as read; callers must not change it (it may be the buffer Vert.x read
 * the request into).
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
        Reader reader = new Reader(request, limit, length);
        request.handler(reader);
        request.exceptionHandler(e -> reader.promise.tryFail(new GatewayError(ErrorKind.CLIENT_CLOSED, 499,
                "client_closed", "the client closed the connection while sending the request", null, e)));
        request.endHandler(v -> reader.promise.tryComplete(reader.body()));
        request.resume();
        return reader.promise.future();
    }

    /**
     * Collects the chunks. A body that comes in one chunk (most do) is that chunk, not a copy of
     * it: Vert.x hands each chunk over in a heap buffer of its own, never reused.
     */
    private static final class Reader implements Handler<Buffer> {
        final Promise<Buffer> promise = Promise.promise();
        private final HttpServerRequest request;
        private final long limit;
        private final long declared;
        private Buffer first;
        private Buffer joined;
        private long size;

        Reader(HttpServerRequest request, long limit, long declared) {
            this.request = request;
            this.limit = limit;
            this.declared = declared;
        }

        @Override
        public void handle(Buffer chunk) {
            if (promise.future().isComplete()) {
                return;
            }
            if (size + chunk.length() > limit) {
                request.pause();
                promise.tryFail(tooLarge(limit));
                return;
            }
            size += chunk.length();
            if (first == null && joined == null) {
                first = chunk;
                return;
            }
            if (joined == null) {
                joined = Buffer.buffer(declared > size ? (int) declared : (int) Math.min(limit, Math.max(1024, 2 * size)));
                joined.appendBuffer(first);
                first = null;
            }
            joined.appendBuffer(chunk);
        }

        Buffer body() {
            return joined != null ? joined : first != null ? first : Buffer.buffer();
        }
    }

    private static GatewayError tooLarge(long limit) {
        return new GatewayError(ErrorKind.PAYLOAD_TOO_LARGE, 413, "request_too_large",
                "the request body is larger than the listener's max_body_size of " + limit + " bytes", null, null);
    }
}
