package io.agentgateway.upstream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Time limits of the upstream calls of one event loop, LLM, MCP and A2A alike, swept by one
 * periodic timer instead of a timer per call: Vert.x's per-request idle timeout sets and cancels a
 * timer on every call, which cost a quarter of the gateway's throughput on the benchmark. A
 * deadline fires when its call has been {@link Deadline#touch() quiet} for its time (to within one
 * sweep, 100 ms); a {@link #every repeating} one (keep-alives) fires after every such quiet spell.
 *
 * <p>One per event-loop context ({@link #of}), created on first use and swept on that loop; the
 * sweep ends with the verticle that owns the loop's context. {@code watch}, {@code touch} and
 * {@code cancel} may be called from any thread (a shared stdio channel completes calls from its
 * reader); callbacks run on the owning loop.
 */
public final class Deadlines {
    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);
    static final long SWEEP_MILLIS = 100;
    private static final Object KEY = Deadlines.class;

    /** One watched call: touch it whenever it shows life, cancel it when it ends. */
    public interface Deadline {
        void touch();

        void cancel();

        /** True once the call stayed quiet too long (its {@code onIdle} ran): a failure that follows is a timeout. */
        boolean expired();

        /**
         * Stops the clock while the gateway itself holds the call back (a slow client paused the
         * upstream): the upstream is not to blame for the silence. {@link #resume()} restarts it.
         */
        void hold();

        /** Ends a {@link #hold()}; the quiet time counts from now. */
        void resume();
    }

    private static final class Entry implements Deadline {
        final long idleNanos;
        final Runnable onIdle;
        final boolean repeat;
        volatile long last = System.nanoTime();
        volatile boolean done;
        volatile boolean expired;
        volatile boolean held;

        Entry(long idleNanos, Runnable onIdle, boolean repeat) {
            this.idleNanos = idleNanos;
            this.onIdle = onIdle;
            this.repeat = repeat;
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

        @Override
        public void hold() {
            held = true;
        }

        @Override
        public void resume() {
            last = System.nanoTime();
            held = false;
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();

    private Deadlines(ContextInternal context) {
        context.setPeriodic(SWEEP_MILLIS, id -> sweep());
    }

    /** The deadlines of the event loop {@code context} runs on (a request's duplicated context shares its loop's). */
    public static Deadlines of(Context context) {
        ContextInternal base = ((ContextInternal) context).unwrap();
        return (Deadlines) base.contextData().computeIfAbsent(KEY, k -> new Deadlines(base));
    }

    /** The deadlines of the calling thread's context (created if the thread has none). */
    public static Deadlines of(Vertx vertx) {
        return of(vertx.getOrCreateContext());
    }

    /** Watches a call that may stay quiet for at most {@code idleMillis}; {@code onIdle} runs once if it does. */
    public Deadline watch(long idleMillis, Runnable onIdle) {
        return add(new Entry(Math.max(1, idleMillis) * 1_000_000, onIdle, false));
    }

    /** Runs {@code onQuiet} after every {@code quietMillis} without a touch, until cancelled (keep-alives). */
    public Deadline every(long quietMillis, Runnable onQuiet) {
        return add(new Entry(Math.max(1, quietMillis) * 1_000_000, onQuiet, true));
    }

    private Entry add(Entry e) {
        entries.add(e);
        return e;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.done) {
                it.remove();
                continue;
            }
            if (e.held || now - e.last < e.idleNanos) {
                continue;
            }
            if (e.repeat) {
                e.last = now;
            } else {
                e.done = true;
                e.expired = true;
                it.remove();
            }
            try {
                e.onIdle.run();
            } catch (RuntimeException ex) {
                // One failing callback must not stop the sweep for every other call on the loop.
                log.error("an upstream deadline callback failed", ex);
            }
        }
    }
}
