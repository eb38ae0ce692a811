package io.agentgateway.llm;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A cloud credential (AWS keys from STS, a Google access token) whose fetch may block on the
 * network: fetched on a worker thread, never an event loop, and kept until {@link #REFRESH_BEFORE}
 * its expiry; inside that margin the current one still serves while one background refresh runs,
 * and once expired (or never fetched) callers wait for the one fetch in flight.
 *
 * <p>Thread-safe: one per provider, asked from every event loop.
 *
 * @param <T> the credential; its expiry is read with the function given (null: never expires)
 */
public final class CachedCredential<T> {
    /** Refreshed this long before it expires (STS keys and Google tokens last an hour). */
    public static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

    private final Callable<T> fetch;
    private final Function<T, Instant> expiry;
    private final Clock clock;
    private volatile T cached;
    private CompletionStage<T> refreshing;

    /** @param fetch blocking; run on a worker thread */
    public CachedCredential(Callable<T> fetch, Function<T, Instant> expiry, Clock clock) {
        this.fetch = fetch;
        this.expiry = expiry;
        this.clock = clock;
    }

    /** The credential to use now, completing on {@code context}; fails when it cannot be fetched. */
    public Future<T> current(Context context) {
        T now = cached;
        Instant at = clock.instant();
        if (now != null && !expiring(now, at, Duration.ZERO)) {
            if (expiring(now, at, REFRESH_BEFORE)) {
                refresh(context); // in the background: the current one still serves
            }
            return Future.succeededFuture(now);
        }
        return Future.fromCompletionStage(refresh(context), context);
    }

    /** Forgets the cached credential (its source changed): the next caller fetches anew. */
    public void invalidate() {
        cached = null;
    }

    private boolean expiring(T credential, Instant at, Duration margin) {
        Instant expires = expiry.apply(credential);
        return expires != null && !at.plus(margin).isBefore(expires);
    }

    private synchronized CompletionStage<T> refresh(Context context) {
        if (refreshing == null) {
            Future<T> fetched = context.owner().executeBlocking(fetch, false);
            CompletionStage<T> stage = fetched.toCompletionStage();
            refreshing = stage;
            // Told after the stage is stored: a fetch that completed at once must not leave a finished stage behind.
            fetched.onComplete(ar -> done(stage, ar.succeeded() ? ar.result() : null));
        }
        return refreshing;
    }

    private synchronized void done(CompletionStage<T> stage, T credential) {
        if (credential != null) {
            cached = credential;
        }
        if (refreshing == stage) {
            refreshing = null;
        }
    }
}
