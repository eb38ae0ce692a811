package io.agentgateway.upstream;

import io.agentgateway.config.ConnectionPoolConfig;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The visible queue in front of one upstream (an LLM provider, an MCP server, an A2A agent): at
 * most {@code max_connections} requests hold a connection to it at once, across every event loop;
 * up to {@code max_waiting} more wait, first come first served, each for at most
 * {@code wait_timeout}; a request that cannot get a place or waits too long fails at once with a
 * 503 and {@code Retry-After}. The event loops' HTTP pools are sized above every gate, so this is
 * the only queue a request meets before its upstream.
 *
 * <p>Meters (labels {@code upstream_kind}, {@code upstream}):
 * {@code agentgateway_upstream_connections_in_use}, {@code agentgateway_upstream_requests_waiting},
 * {@code agentgateway_upstream_connection_wait_seconds} (every acquisition, 0 for most) and
 * {@code agentgateway_upstream_rejected_total{reason=queue_full|wait_timeout}}.
 *
 * <p>Thread-safe: the counts are guarded by the gate's monitor, held for a few field updates and
 * never across I/O; a waiter is woken on its own event loop. {@link #acquire()} must be called on
 * an event loop (the wait is watched by that loop's {@link Deadlines}).
 */
public final class ConnectionGate {
    /** What a gate allows; from a {@code connection_pool} config block. */
    public record Limits(int maxConnections, int maxWaiting, long waitTimeoutMillis) {
        public static Limits of(ConnectionPoolConfig config) {
            return new Limits(config.maxConnections(), config.maxWaiting(), config.waitTimeout().toMillis());
        }
    }

    /** A place at the upstream; release it exactly when the request's exchange with it ends. */
    public interface Permit {
        /** Idempotent. */
        void release();

        /** How long the request waited for its place, in nanoseconds (0 when there was one free). */
        long waitedNanos();
    }

    private final String kind;
    private final String name;
    private volatile Limits limits;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int inUse;
    private final Timer waits;
    private final Counter queueFull;
    private final Counter timedOut;

    private ConnectionGate(String kind, String name, Limits limits, MeterRegistry registry) {
        this.kind = kind;
        this.name = name;
        this.limits = limits;
        this.waits = Timer.builder("agentgateway.upstream.connection.wait")
                .description("How long requests waited for a connection to their upstream (connection_pool)")
                .tags("upstream_kind", kind, "upstream", name).publishPercentileHistogram().register(registry);
        this.queueFull = rejected(registry, "queue_full");
        this.timedOut = rejected(registry, "wait_timeout");
        Gauge.builder("agentgateway.upstream.connections.in.use", this, ConnectionGate::inUse)
                .description("Requests holding a connection to their upstream").tags("upstream_kind", kind, "upstream", name)
                .register(registry);
        Gauge.builder("agentgateway.upstream.requests.waiting", this, ConnectionGate::waiting)
                .description("Requests waiting for a connection to their upstream").tags("upstream_kind", kind, "upstream", name)
                .register(registry);
    }

    /** Created by {@link ConnectionGates}, one per upstream for the life of the process. */
    static ConnectionGate create(String kind, String name, Limits limits, MeterRegistry registry) {
        return new ConnectionGate(kind, name, limits, registry);
    }

    /** New limits from a reload; requests already holding or waiting keep their place. */
    void limits(Limits newLimits) {
        limits = newLimits;
    }

    private Counter rejected(MeterRegistry registry, String reason) {
        return Counter.builder("agentgateway.upstream.rejected")
                .description("Requests answered 503 because their upstream had no free connection in time")
                .tags("upstream_kind", kind, "upstream", name, "reason", reason).register(registry);
    }

    public Limits limits() {
        return limits;
    }

    private synchronized double inUse() {
        return inUse;
    }

    private synchronized double waiting() {
        return waiting.size();
    }

    /** A place at the upstream, now or after a wait; a 503 {@link GatewayError} when there is none in time. */
    public Future<Permit> acquire() {
        Limits limits = this.limits;
        Waiter w;
        synchronized (this) {
            if (inUse < limits.maxConnections()) {
                inUse++;
                w = null;
            } else if (waiting.size() >= limits.maxWaiting()) {
                queueFull.increment();
                return Future.failedFuture(unavailable("all " + limits.maxConnections() + " connections are busy and "
                        + limits.maxWaiting() + " requests are already waiting"));
            } else {
                w = new Waiter(Vertx.currentContext(), System.nanoTime());
                waiting.add(w);
            }
        }
        if (w == null) {
            waits.record(0, TimeUnit.NANOSECONDS);
            return Future.succeededFuture(new Held(0));
        }
        Context context = w.context;
        w.deadline = context == null ? null : Deadlines.of(context).watch(limits.waitTimeoutMillis(), () -> expire(w));
        return w.promise.future();
    }

    private void expire(Waiter w) {
        Limits limits = this.limits;
        synchronized (this) {
            if (!waiting.remove(w)) {
                return; // granted meanwhile; the grant is on its way to this loop
            }
        }
        timedOut.increment();
        w.promise.tryFail(unavailable("no connection became free within wait_timeout "
                + limits.waitTimeoutMillis() + "ms (all " + limits.maxConnections() + " are busy)"));
    }

    private void release() {
        Waiter next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
                return;
            }
        }
        // The place passes straight to the longest waiter: inUse stays as it is.
        Runnable grant = () -> {
            if (next.deadline != null) {
                next.deadline.cancel();
            }
            long waited = System.nanoTime() - next.since;
            waits.record(waited, TimeUnit.NANOSECONDS);
            Held permit = new Held(waited);
            if (!next.promise.tryComplete(permit)) {
                permit.release();
            }
        };
        if (next.context != null) {
            next.context.runOnContext(v -> grant.run());
        } else {
            grant.run();
        }
    }

    private GatewayError unavailable(String why) {
        Limits limits = this.limits;
        long retryAfter = Math.max(1, (limits.waitTimeoutMillis() + 999) / 1000);
        return new GatewayError(ErrorKind.UNAVAILABLE, 503, "upstream_busy",
                kind + " " + name + " is at its connection limit: " + why + " (connection_pool)", null, null)
                .header("Retry-After", Long.toString(retryAfter));
    }

    private static final class Waiter {
        final Context context;
        final long since;
        final Promise<Permit> promise = Promise.promise();
        Deadlines.Deadline deadline;

        Waiter(Context context, long since) {
            this.context = context;
            this.since = since;
        }
    }

    private final class Held implements Permit {
        private final long waited;
        private boolean released;

        Held(long waited) {
            this.waited = waited;
        }

        @Override
        public void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
            }
            ConnectionGate.this.release();
        }

        @Override
        public long waitedNanos() {
            return waited;
        }
    }
}
