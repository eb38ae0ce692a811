package io.agentgateway.kube;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings the completion of a future shared between event loops (a coalesced API-server call, a
 * key refresh) back to the caller's own context, so that work on a request never continues on
 * another request's event loop.
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** {@code shared}, completing on the context of the calling thread (as is, when there is none or it is done). */
    public static <T> Future<T> rejoin(Future<T> shared) {
        Context caller = Vertx.currentContext();
        if (caller == null || shared.isComplete()) {
            return shared;
        }
        Promise<T> own = Promise.promise();
        shared.onComplete(ar -> {
            if (Vertx.currentContext() == caller) {
                own.handle(ar);
            } else {
                caller.runOnContext(v -> own.handle(ar));
            }
        });
        return own.future();
    }
}
