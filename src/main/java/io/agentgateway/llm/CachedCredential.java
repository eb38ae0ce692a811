package io.agentgateway.llm;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
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
    private Future<T> refreshing; // guarded by this

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
        Future<T> fetching = refresh(context);
        // The fetch completes on the context that started it; this caller may be on another loop.
        Promise<T> answer = Promise.promise();
        fetching.onComplete(ar -> context.runOnContext(v -> answer.handle(ar)));
        return answer.future();
    }

    /** Forgets the cached credential (its source changed): the next caller fetches anew. */
    public void invalidate() {
        cached = null;
    }

    private boolean expiring(T credential, Instant at, Duration margin) {
        Instant expires = expiry.apply(credential);
        return expires != null && !at.plus(margin).isBefore(expires);
    }

    private Future<T> refresh(Context context) {
        Promise<T> started;
        synchronized (this) {
            if (refreshing != null) {
                return refreshing;
            }
            started = Promise.promise();
            refreshing = started.future();
        }
        // Started outside the lock: nothing the worker or its completion does can wait on it.
        context.<T>executeBlocking(fetch, false).onComplete(ar -> {
            synchronized (this) {
                if (ar.succeeded()) {
                    cached = ar.result();
                }
                refreshing = null;
            }
            started.handle(ar);
        });
        return started.future();
    }
}
