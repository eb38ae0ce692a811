package io.agentgateway.mcp;

import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The servers' own message streams (the upstream GET of Streamable HTTP, the shared stream of a
 * stdio or legacy SSE connection) of each session this replica serves, held by the gateway
 * itself rather than by the client's GET: opened at the session's first message after
 * {@code initialize} (and on any replica the session moves to), before that message is
 * forwarded, so a server that sends a request (elicitation, sampling, roots) or a notification
 * on its stream always has someone listening, whatever the order in which the client's GET and
 * POSTs arrive. What the servers send goes to the client's GET stream when one is attached; else
 * to the oldest POST of the session in flight on this replica (as SSE); else it waits, up to
 * {@value #BUFFERED} messages, for either. A message a receiver could no longer take (a POST
 * answered meanwhile, a stream the client closed) is not lost: it goes to the next receiver or
 * waits. Events a server numbers keep their numbers on the client's stream (on {@code /mcp} as
 * {@link StreamPositions}), and a client that comes back with {@code Last-Event-ID} has the
 * servers' streams reopened from there ({@link #resume}); a server stream that ended is reopened
 * from the last event it sent. A session's streams are closed when it is ended, or
 * unused for longer than its idle limit ({@link #sweep}).
 *
 * <p>Thread-safe: each session's state is guarded by its {@code Hub}; messages are delivered on
 * the context of whoever receives them.
 */
final class ServerStreams {
    private static final Logger log = LoggerFactory.getLogger(ServerStreams.class);
    static final int BUFFERED = 256;
    /** How long a forwarded message waits for a server stream to open; servers that send no headers before their first event are waited for only this long. */
    static final long OPEN_WAIT_MS = 1_000;

    /** What came of opening a session's streams. */
    enum Opened { OPEN, UNSUPPORTED, SESSION_GONE }

    /**
     * A server message on its way to the client, with the event id its stream shows for it (null:
     * the server numbers no events): the server's own id on {@code /mcp/SERVER}, the
     * {@link StreamPositions} of every server on {@code /mcp}.
     */
    record Event(Message message, String id) {
    }

    /** An event that waits for a receiver, with the server and server event id it came as. */
    private record Held(String server, String upstreamId, Event event) {
    }

    private final Clock clock;
    private final Map<String, Hub> hubs = new ConcurrentHashMap<>();

    ServerStreams(Clock clock) {
        this.clock = clock;
    }

    /**
     * A receiver of server messages and the context it runs on. Its sink answers whether it took
     * the message: a POST whose answer has already ended, or a client stream that closed, cannot,
     * and the message goes back to its session ({@link Hub#bounced}) rather than being lost.
     */
    private record Target(Context context, Predicate<Event> sink, Runnable ended) {
        void send(Hub hub, Held m) {
            if (context == null || Vertx.currentContext() == context) {
                offer(hub, m);
            } else {
                context.runOnContext(v -> offer(hub, m));
            }
        }

        private void offer(Hub hub, Held m) {
            if (!sink.test(m.event())) {
                hub.bounced(this, m);
            }
        }

        void end() {
            if (ended == null) {
                return;
            }
            if (context == null || Vertx.currentContext() == context) {
                ended.run();
            } else {
                context.runOnContext(v -> ended.run());
            }
        }
    }

    private final class Hub {
        final String id;
        final boolean federated;
        final long idleSeconds;
        final long expiresAt;
        final Map<String, Future<Upstream.Listening>> open = new HashMap<>();
        final Map<String, Throwable> refused = new HashMap<>();
        final List<Target> streams = new ArrayList<>();
        final ArrayDeque<Target> calls = new ArrayDeque<>();
        final ArrayDeque<Held> waiting = new ArrayDeque<>();
        /** Per server, the id of the last event its stream sent: where a reopened stream resumes. */
        final Map<String, String> positions = new java.util.LinkedHashMap<>();
        long lastActive;
        boolean closed;
        boolean warnedFull;

        Hub(String id, McpSession session) {
            this.id = id;
            this.federated = McpSession.FEDERATED.equals(session.route());
            this.idleSeconds = session.idleSeconds();
            this.expiresAt = session.expiresAt();
        }

        void deliver(String server, Message m, String upstreamId) {
            Message out = federated ? Federation.federate(server, m) : m;
            String id = null;
            if (upstreamId != null) {
                synchronized (this) {
                    positions.put(server, upstreamId);
                    id = federated ? StreamPositions.encode(positions) : upstreamId;
                }
            }
            route(new Held(server, upstreamId, new Event(out, id)));
        }

        private void route(Held out) {
            Target to;
            synchronized (this) {
                lastActive = clock.instant().getEpochSecond();
                if (closed) {
                    return;
                }
                // One stream per message (the transport spec): the latest GET, else the oldest POST in flight.
                to = !streams.isEmpty() ? streams.get(streams.size() - 1) : calls.peekFirst();
                if (to == null) {
                    if (waiting.size() >= BUFFERED) {
                        waiting.pollFirst();
                        if (!warnedFull) {
                            warnedFull = true;
                            log.warn("MCP session {}: {} server messages wait for a client stream; dropping the oldest", shortId(id), BUFFERED);
                        }
                    }
                    waiting.addLast(out);
                    return;
                }
            }
            to.send(this, out);
        }

        /**
         * {@code t} could not take {@code m}: the POST it stood for had already been answered when
         * the message reached its loop (it arrived on the server's stream after the call's answer,
         * before the POST detached), or the client's stream had closed. {@code t} no longer
         * receives anything, and the message goes to the next receiver or waits for one.
         */
        void bounced(Target t, Held m) {
            synchronized (this) {
                streams.remove(t);
                calls.remove(t);
            }
            route(m);
        }

        /** Hands what waited to a receiver that just attached. */
        void flushTo(Target t) {
            List<Held> out;
            synchronized (this) {
                out = new ArrayList<>(waiting);
                waiting.clear();
                warnedFull = false;
            }
            out.forEach(m -> t.send(this, m));
        }
    }

    /**
     * Opens the streams of {@code session}'s servers that are not open on this replica yet (a
     * stream the server ended is opened again). The future completes when each has answered,
     * or after {@link #OPEN_WAIT_MS}; it never fails.
     *
     * @param calls the call with which to open each server's stream
     */
    Future<Opened> open(McpRuntime mcp, String id, McpSession session, Function<String, Upstream.Call> calls, Deadlines deadlines) {
        Hub hub = hubs.computeIfAbsent(id, k -> new Hub(k, session));
        List<Future<Upstream.Listening>> opening = new ArrayList<>();
        synchronized (hub) {
            hub.lastActive = clock.instant().getEpochSecond();
            if (hub.closed) {
                return Future.succeededFuture(Opened.SESSION_GONE);
            }
            for (String server : session.upstreams().keySet()) {
                Upstream upstream = mcp.server(server);
                if (upstream == null || hub.refused.get(server) instanceof Upstream.StreamUnsupported) {
                    continue;
                }
                Future<Upstream.Listening> f = hub.open.get(server);
                if (f == null) {
                    f = upstream.listen(calls.apply(server), hub.positions.get(server), (m, eventId) -> hub.deliver(server, m, eventId));
                    hub.open.put(server, f);
                    Future<Upstream.Listening> self = f;
                    f.onSuccess(l -> {
                                synchronized (hub) {
                                    hub.refused.remove(server);
                                }
                                l.ended().onComplete(v -> forget(hub, server, self));
                            })
                            .onFailure(e -> {
                                synchronized (hub) {
                                    hub.refused.put(server, e);
                                }
                                forget(hub, server, self);
                            });
                }
                opening.add(f);
            }
        }
        boolean settled = true;
        for (Future<Upstream.Listening> f : opening) {
            settled &= f.isComplete();
        }
        if (settled) {
            // The usual case after a session's first message: every stream is open (or refused) already.
            return Future.succeededFuture(state(hub));
        }
        Promise<Opened> done = Promise.promise();
        Deadlines.Deadline wait = deadlines.watch(OPEN_WAIT_MS, () -> done.tryComplete(state(hub)));
        Future.join(opening).onComplete(ar -> {
            wait.cancel();
            done.tryComplete(state(hub));
        });
        return done.future();
    }

    /**
     * {@link #open}, for a client that reconnects with {@code Last-Event-ID}: each server the id
     * names a position for has its stream opened again from there (its current stream, if any,
     * closed first), so a server that keeps its events replays what the client missed. Held
     * events of those servers that the replay brings again are dropped; servers the id does not
     * name are opened as by {@link #open}. An id that is not one this endpoint gave out resumes
     * nothing.
     */
    Future<Opened> resume(McpRuntime mcp, String id, McpSession session, Function<String, Upstream.Call> calls, Deadlines deadlines,
                          String lastEventId) {
        Hub hub = hubs.computeIfAbsent(id, k -> new Hub(k, session));
        Map<String, String> from = hub.federated ? StreamPositions.decode(lastEventId)
                : StreamPositions.acceptable(lastEventId) ? Map.of(session.route(), lastEventId) : Map.of();
        List<Future<Upstream.Listening>> replaced = new ArrayList<>();
        synchronized (hub) {
            if (hub.closed) {
                return Future.succeededFuture(Opened.SESSION_GONE);
            }
            for (Map.Entry<String, String> e : from.entrySet()) {
                String server = e.getKey();
                if (!session.upstreams().containsKey(server) || !StreamPositions.acceptable(e.getValue())) {
                    continue;
                }
                hub.positions.put(server, e.getValue());
                Future<Upstream.Listening> open = hub.open.remove(server);
                if (open != null) {
                    replaced.add(open);
                }
                hub.waiting.removeIf(h -> h.server().equals(server) && h.upstreamId() != null);
            }
        }
        replaced.forEach(f -> f.onSuccess(Upstream.Listening::close));
        return open(mcp, id, session, calls, deadlines);
    }

    private void forget(Hub hub, String server, Future<Upstream.Listening> f) {
        synchronized (hub) {
            hub.open.remove(server, f);
        }
    }

    private static Opened state(Hub hub) {
        synchronized (hub) {
            if (hub.closed) {
                return Opened.SESSION_GONE;
            }
            if (!hub.open.isEmpty()) {
                return Opened.OPEN;
            }
            for (Throwable e : hub.refused.values()) {
                if (e instanceof Upstream.SessionGone) {
                    return Opened.SESSION_GONE;
                }
            }
            return Opened.UNSUPPORTED;
        }
    }

    /**
     * Why no server of the session offers a stream, or null: a server's {@link
     * io.agentgateway.server.GatewayError} (such as its connection limit) when one said so, else
     * the first refusal (for the 405).
     */
    Throwable refusal(String id) {
        Hub hub = hubs.get(id);
        if (hub == null) {
            return null;
        }
        synchronized (hub) {
            return hub.refused.values().stream().filter(e -> e instanceof io.agentgateway.server.GatewayError).findFirst()
                    .or(() -> hub.refused.values().stream().findFirst()).orElse(null);
        }
    }

    /**
     * Attaches the client's GET stream of session {@code id}: it receives what waited and all
     * that comes later, until it detaches (the returned action) or the session's streams close
     * ({@code ended} runs).
     */
    Runnable attachStream(String id, Predicate<Event> sink, Runnable ended) {
        return attach(id, new Target(Vertx.currentContext(), sink, ended), true);
    }

    /**
     * Attaches a POST in flight: it receives server messages while no client stream is attached.
     * {@code sink} answers false once the POST can carry no more (its answer ended, or it is not
     * an event stream), and what it refused waits for the client's stream.
     */
    Runnable attachCall(String id, Predicate<Event> sink) {
        return attach(id, new Target(Vertx.currentContext(), sink, null), false);
    }

    private Runnable attach(String id, Target t, boolean stream) {
        Hub hub = hubs.get(id);
        if (hub == null) {
            return () -> {
            };
        }
        boolean flush;
        synchronized (hub) {
            hub.lastActive = clock.instant().getEpochSecond();
            if (stream) {
                hub.streams.add(t);
            } else {
                hub.calls.addLast(t);
            }
            flush = stream || hub.streams.isEmpty();
        }
        if (flush) {
            hub.flushTo(t);
        }
        return () -> {
            synchronized (hub) {
                hub.lastActive = clock.instant().getEpochSecond();
                if (stream) {
                    hub.streams.remove(t);
                } else {
                    hub.calls.remove(t);
                }
            }
        };
    }

    /** The session was ended: its streams close, and clients' GET streams end. */
    void end(String id) {
        Hub hub = hubs.remove(id);
        if (hub != null) {
            close(hub);
        }
    }

    /** Closes the streams of sessions past their idle limit with no client attached, or past their lifetime. */
    void sweep() {
        long now = clock.instant().getEpochSecond();
        for (Hub hub : List.copyOf(hubs.values())) {
            boolean stale;
            synchronized (hub) {
                boolean idle = hub.streams.isEmpty() && hub.calls.isEmpty() && now - hub.lastActive > hub.idleSeconds;
                stale = idle || now >= hub.expiresAt;
            }
            if (stale && hubs.remove(hub.id, hub)) {
                close(hub);
            }
        }
    }

    /** Sessions whose streams are held on this replica. */
    int size() {
        return hubs.size();
    }

    private static void close(Hub hub) {
        List<Future<Upstream.Listening>> open;
        List<Target> streams;
        synchronized (hub) {
            hub.closed = true;
            open = new ArrayList<>(hub.open.values());
            hub.open.clear();
            streams = new ArrayList<>(hub.streams);
            hub.streams.clear();
            hub.waiting.clear();
        }
        open.forEach(f -> f.onSuccess(Upstream.Listening::close));
        streams.forEach(Target::end);
    }

    private static String shortId(String id) {
        return id.length() <= 12 ? id : id.substring(0, 12) + "...";
    }
}
