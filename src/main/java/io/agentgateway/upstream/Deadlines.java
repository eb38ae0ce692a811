package io.agentgateway.upstream;

import io.vertx.core.Vertx;

import java.util.ArrayDeque;

/**
 * Idle timeouts for the upstream calls of one event loop, swept by one periodic timer instead of
 * a timer per request: Vert.x's per-request idle timeout sets and cancels a timer on every call,
 * which cost a quarter of the gateway's throughput on the benchmark. A deadline fires when its
 * call has been {@link Deadline#touch() quiet} for its timeout (to within one sweep, 100 ms).
 *
 * <p>Confined to the event loop it was created on, like everything it watches.
 */
public final class Deadlines {
    static final long SWEEP_MILLIS = 100;

    /** One watched call: touch it whenever it shows life, cancel it when it ends. */
    public interface Deadline {
        void touch();

        void cancel();

        /** True once the call stayed quiet too long (its {@code onIdle} ran): a failure that follows is a timeout. */
        boolean expired();
    }

    private static final class Entry implements Deadline {
        final long idleNanos;
        final Runnable onIdle;
        long last = System.nanoTime();
        boolean done;
        boolean expired;

        Entry(long idleNanos, Runnable onIdle) {
            this.idleNanos = idleNanos;
            this.onIdle = onIdle;
        }

        @Override
        public void touch() {
            last = System.nanoTime();
        }

        @Override
        public void cancel() {
            done = true;
        }

        @Override
        public boolean expired() {
            return expired;
        }
    }

    private final Vertx vertx;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final long timer;

    public Deadlines(Vertx vertx) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }

    /** Watches a call that may stay quiet for at most {@code idleMillis}; {@code onIdle} runs once if it does. */
    public Deadline watch(long idleMillis, Runnable onIdle) {
        Entry e = new Entry(idleMillis * 1_000_000, onIdle);
        entries.add(e);
        return e;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (int n = entries.size(); n > 0; n--) {
            Entry e = entries.poll();
            if (e.done) {
                continue;
            }
            if (now - e.last >= e.idleNanos) {
                e.done = true;
                e.expired = true;
                e.onIdle.run();
            } else {
                entries.add(e);
            }
        }
    }

    public void close() {
        vertx.cancelTimer(timer);
        entries.clear();
    }
}
