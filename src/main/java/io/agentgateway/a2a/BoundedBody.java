package io.agentgateway.a2a;

import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

import java.util.function.Supplier;

/**
 * Reads a (non-streamed) upstream answer up to a limit: an agent cannot make the gateway hold an
 * unbounded body. Past the limit the upstream request is reset and the read fails.
 */
final class BoundedBody {
    private BoundedBody() {
    }

    /**
     * @param deadline the call's deadline, touched as the body arrives (a slow body is not a silent one)
     * @param tooLarge makes the failure when the body passes {@code limit}
     */
    static Future<Buffer> read(HttpClientResponse response, long limit, Deadlines.Deadline deadline,
                               Supplier<RuntimeException> tooLarge) {
        String declared = response.getHeader("content-length");
        int initial = 1024;
        if (declared != null) {
            try {
                long n = Long.parseLong(declared.trim());
                if (n > limit) {
                    response.request().reset();
                    return Future.failedFuture(tooLarge.get());
                }
                initial = (int) Math.max(0, n);
            } catch (NumberFormatException e) {
                // chunked or nonsense: the running count below still holds the limit
            }
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer(initial);
        response.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            deadline.touch();
            if (body.length() + chunk.length() > limit) {
                promise.tryFail(tooLarge.get());
                response.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(body));
        response.resume();
        return promise.future();
    }
}
