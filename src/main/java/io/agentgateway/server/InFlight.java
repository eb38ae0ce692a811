package io.agentgateway.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts exchanges in flight for one compiled runtime, so a reload or shutdown can wait until the
 * old runtime's requests and streams have finished. Thread-safe.
 */
public final class InFlight {
    private final AtomicInteger count = new AtomicInteger();
    private final Promise<Void> drained = Promise.promise();
    private volatile boolean closing;

    void enter() {
        count.incrementAndGet();
    }

    void exit() {
        if (count.decrementAndGet() == 0 && closing) {
            drained.tryComplete();
        }
    }

    public int count() {
        return count.get();
    }

    /** Completes once no exchange is in flight; new exchanges may still enter until then. */
    public Future<Void> drain() {
        closing = true;
        if (count.get() == 0) {
            drained.tryComplete();
        }
        return drained.future();
    }
}
