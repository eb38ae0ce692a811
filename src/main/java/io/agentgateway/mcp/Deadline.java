package io.agentgateway.mcp;

import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * The per-call wait for an upstream answer: fires once after {@code timeout} unless cancelled;
 * {@link #restart()} (on progress) starts the wait again. Thread-safe.
 */
final class Deadline {
    private final Vertx vertx;
    private final long millis;
    private final Runnable onExpiry;
    private long timer;
    private boolean done;

    Deadline(Vertx vertx, Duration timeout, Runnable onExpiry) {
        this.vertx = vertx;
        this.millis = Math.max(1, timeout.toMillis());
        this.onExpiry = onExpiry;
        this.timer = vertx.setTimer(millis, t -> fire());
    }

    private void fire() {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        onExpiry.run();
    }

    synchronized void restart() {
        if (done) {
            return;
        }
        vertx.cancelTimer(timer);
        timer = vertx.setTimer(millis, t -> fire());
    }

    synchronized void cancel() {
        done = true;
        vertx.cancelTimer(timer);
    }
}
