package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One shared connection to a stdio or legacy SSE server, which serves one client: the gateway
 * initialises it once and multiplexes every downstream session over it. Request ids (and
 * progress tokens) are replaced by the gateway's own on the way in and restored on the way out,
 * so callers cannot collide; a server's own requests (sampling, elicitation) go to the caller
 * whose call is oldest in flight, else to a listening stream. When the connection dies every call
 * in flight fails at once with a JSON-RPC error, and it is restarted with exponential backoff
 * (0.5 s doubling to 30 s; reset after a minute of health), from the injected clock.
 *
 * <p>Thread-safe: state is guarded by {@code this}; completions run on each caller's context.
 */
final class Channel implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(Channel.class);
    private static final Duration HEALTHY = Duration.ofMinutes(1);

    private final Vertx vertx;
    private final Clock clock;
    private final String name;
    private final Duration timeout;
    private final Supplier<ChannelTransport> transports;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, JsonNode> serverRequests = new HashMap<>();
    private final Set<Listener> listeners = new LinkedHashSet<>();
    private ChannelTransport transport;
    /** The latest incarnation, kept after it died: what a shutdown waits for. */
    private ChannelTransport last;
    private Promise<ObjectNode> ready = Promise.promise();
    private ObjectNode initializeResult;
    private long seq;
    private int failures;
    private Instant startedAt;
    private long restartTimer = -1;
    private boolean closed;

    private static final class Pending {
        final Context context;
        final JsonNode id;
        final JsonNode progressToken;
        final Consumer<Message> related;
        final Promise<Message> done;
        final String downstream;
        final String method;
        Deadlines.Deadline deadline;

        Pending(Context context, JsonNode id, JsonNode progressToken, Consumer<Message> related, Promise<Message> done,
                String downstream, String method) {
            this.context = context;
            this.id = id;
            this.progressToken = progressToken;
            this.related = related;
            this.done = done;
            this.downstream = downstream;
            this.method = method;
        }

        void run(Runnable r) {
            if (context == null) {
                r.run();
            } else {
                context.runOnContext(v -> r.run());
            }
        }
    }

    private record Listener(Context context, Consumer<Message> sink, Promise<Void> ended) {
        void accept(Message m) {
            if (context == null) {
                sink.accept(m);
            } else {
                context.runOnContext(v -> sink.accept(m));
            }
        }
    }

    Channel(Vertx vertx, Clock clock, String name, Duration timeout, Supplier<ChannelTransport> transports) {
        this.vertx = vertx;
        this.clock = clock;
        this.name = name;
        this.timeout = timeout;
        this.transports = transports;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    /** Starts the connection and the gateway's own initialize; calls wait for it (within their timeout). */
    synchronized void start() {
        if (closed) {
            return;
        }
        restartTimer = -1;
        ChannelTransport t = transports.get();
        transport = t;
        last = t;
        startedAt = clock.instant();
        t.start(line -> inbound(t, line), reason -> died(t, reason)).compose(v -> {
            ObjectNode init = Message.MAPPER.createObjectNode();
            init.put("jsonrpc", "2.0");
            init.put("id", "gw-init");
            init.put("method", Methods.INITIALIZE);
            ObjectNode params = init.putObject("params");
            params.put("protocolVersion", Methods.LATEST);
            ObjectNode caps = params.putObject("capabilities");
            caps.putObject("roots").put("listChanged", true);
            caps.putObject("sampling");
            caps.putObject("elicitation");
            params.putObject("clientInfo").put("name", "agentgateway").put("version", "1");
            return send(t, null, Message.of(init), m -> {
            }, null, null, timeout);
        }).compose(response -> {
            if (response.result() == null) {
                return Future.failedFuture("it refused initialize: " + response.json().path("error").path("message").asText());
            }
            ObjectNode note = Message.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", Methods.INITIALIZED);
            return t.send(Message.write(note)).map(response.result());
        }).onComplete(ar -> {
            Promise<ObjectNode> toComplete;
            synchronized (this) {
                if (transport != t) {
                    return;
                }
                if (ar.failed()) {
                    toComplete = null;
                } else {
                    initializeResult = ar.result();
                    toComplete = ready;
                }
            }
            if (toComplete == null) {
                died(t, "did not start (" + ar.cause().getMessage() + ")");
                t.close();
                return;
            }
            log.info("MCP server {} initialised ({})", name, ar.result().path("protocolVersion").asText());
            toComplete.tryComplete(ar.result());
        });
    }

    private synchronized Future<ObjectNode> whenReady() {
        if (closed) {
            return Future.failedFuture(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " was removed from the configuration"));
        }
        return ready.future();
    }

    @Override
    public Future<Initialized> initialize(Call call, Message initialize) {
        Context ctx = Vertx.currentContext();
        Promise<Initialized> done = Promise.promise();
        Deadlines.Deadline deadline = deadlines(ctx).watch(timeout.toMillis(), () -> done.tryFail(notRunning()));
        whenReady().onComplete(ar -> run(ctx, () -> {
            deadline.cancel();
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            ObjectNode result = ar.result().deepCopy();
            String asked = initialize.param("protocolVersion");
            result.put("protocolVersion", asked != null && Methods.VERSIONS.contains(asked) ? asked : Methods.LATEST);
            ObjectNode response = Message.MAPPER.createObjectNode().put("jsonrpc", "2.0");
            response.set("id", initialize.id());
            response.set("result", result);
            done.tryComplete(new Initialized(Message.of(response), null));
        }));
        return done.future();
    }

    @Override
    public Future<Message> request(Call call, Message request, Consumer<Message> related) {
        Context ctx = Vertx.currentContext();
        Promise<Message> done = Promise.promise();
        long started = System.nanoTime();
        Deadlines.Deadline deadline = deadlines(ctx).watch(timeout.toMillis(), () -> done.tryFail(notRunning()));
        whenReady().onComplete(ar -> {
            deadline.cancel();
            if (ar.failed()) {
                run(ctx, () -> done.tryFail(ar.cause()));
                return;
            }
            ChannelTransport t;
            synchronized (this) {
                t = transport;
            }
            if (t == null) {
                run(ctx, () -> done.tryFail(notRunning()));
                return;
            }
            // One timeout for the whole call, waiting for a restart included.
            Duration left = timeout.minusNanos(System.nanoTime() - started);
            send(t, ctx, request, related, call.downstream(), done, left.toMillis() < 1 ? Duration.ofMillis(1) : left);
        });
        return done.future();
    }

    /** The caller's loop sweeps its calls' deadlines (a caller off any loop gets one of its own). */
    private Deadlines deadlines(Context ctx) {
        return ctx != null ? Deadlines.of(ctx) : Deadlines.of(vertx);
    }

    private JsonRpcException notRunning() {
        return new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " is not running (it is being restarted)");
    }

    /** Sends a request under a gateway id and waits for its answer. {@code done} may be null (a new promise). */
    private Future<Message> send(ChannelTransport t, Context ctx, Message request, Consumer<Message> related,
                                 String downstream, Promise<Message> done, Duration wait) {
        Promise<Message> promise = done == null ? Promise.promise() : done;
        ObjectNode out = request.copy();
        String gwId;
        Pending p;
        synchronized (this) {
            gwId = "g" + (++seq);
        }
        out.put("id", gwId);
        JsonNode meta = out.path("params").path("_meta");
        JsonNode token = meta.get("progressToken");
        if (token != null && meta instanceof ObjectNode m) {
            m.put("progressToken", gwId);
        }
        p = new Pending(ctx, request.id(), token, related, promise, downstream, request.method());
        // The deadline exists before the call is visible to the reader, which may answer at once.
        p.deadline = deadlines(ctx).watch(wait.toMillis(), () -> {
            if (remove(gwId) != null) {
                p.run(() -> promise.tryFail(new JsonRpcException(JsonRpcException.REQUEST_TIMEOUT,
                        "MCP server " + name + " did not answer " + request.method() + " within " + timeout.toMillis() + "ms")));
                t.send(cancelled(TextNode.valueOf(gwId), "timed out at the gateway"));
            }
        });
        synchronized (this) {
            pending.put(gwId, p);
        }
        t.send(Message.write(out)).onFailure(e -> {
            if (remove(gwId) != null) {
                p.deadline.cancel();
                p.run(() -> promise.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, e.getMessage())));
            }
        });
        return promise.future();
    }

    private synchronized Pending remove(String gwId) {
        return pending.remove(gwId);
    }

    private void inbound(ChannelTransport from, Buffer line) {
        try {
            dispatch(from, line);
        } catch (RuntimeException e) {
            // Never let one bad message stop the reader: the connection would hang for every caller.
            log.error("MCP server {}: cannot handle a message: {}", name, e.toString(), e);
        }
    }

    private void dispatch(ChannelTransport from, Buffer line) {
        Message m;
        try {
            m = Message.parse(line);
        } catch (RuntimeException e) {
            log.warn("MCP server {} wrote a line that is not JSON-RPC: {}", name, e.getMessage());
            return;
        }
        switch (m.kind()) {
            case RESPONSE -> {
                Pending p = m.id().isTextual() ? remove(m.id().asText()) : null;
                if (p == null) {
                    log.debug("MCP server {} answered an unknown request {}", name, m.id());
                    return;
                }
                p.deadline.cancel();
                Message restored = m.withId(p.id);
                p.run(() -> p.done.tryComplete(restored));
            }
            case NOTIFICATION -> notification(m);
            case REQUEST -> serverRequest(from, m);
        }
    }

    private void notification(Message m) {
        if (Methods.PROGRESS.equals(m.method())) {
            JsonNode token = m.params().get("progressToken");
            Pending p;
            synchronized (this) {
                p = token != null && token.isTextual() ? pending.get(token.asText()) : null;
            }
            if (p != null && p.progressToken != null) {
                p.deadline.touch();
                ObjectNode c = m.copy();
                ((ObjectNode) c.get("params")).set("progressToken", p.progressToken);
                Message restored = Message.of(c);
                p.run(() -> p.related.accept(restored));
            }
            return;
        }
        List<Listener> ls;
        Pending oldest;
        synchronized (this) {
            ls = new ArrayList<>(listeners);
            oldest = pending.values().stream().filter(x -> x.context != null).findFirst().orElse(null);
        }
        if (!ls.isEmpty()) {
            ls.forEach(l -> l.accept(m));
        } else if (oldest != null) {
            oldest.run(() -> oldest.related.accept(m));
        }
    }

    private void serverRequest(ChannelTransport from, Message m) {
        if (Methods.PING.equals(m.method())) {
            ObjectNode pong = Message.MAPPER.createObjectNode().put("jsonrpc", "2.0");
            pong.set("id", m.id());
            pong.putObject("result");
            from.send(Message.write(pong));
            return;
        }
        Pending oldest;
        Listener listener;
        String gwId;
        synchronized (this) {
            oldest = pending.values().stream().filter(x -> x.context != null).findFirst().orElse(null);
            listener = listeners.isEmpty() ? null : listeners.iterator().next();
            gwId = "s" + (++seq);
            if (oldest != null || listener != null) {
                serverRequests.put(gwId, m.id());
            }
        }
        Message routed = m.withId(TextNode.valueOf(gwId));
        if (oldest != null) {
            oldest.run(() -> oldest.related.accept(routed));
        } else if (listener != null) {
            listener.accept(routed);
        } else {
            from.send(Message.write(JsonRpcException.errorResponse(m.id(), JsonRpcException.INTERNAL_ERROR,
                    "no client is connected through the gateway to answer " + m.method(), null)));
        }
    }

    @Override
    public Future<Void> deliver(Call call, Message message) {
        ChannelTransport t;
        synchronized (this) {
            t = transport;
        }
        if (t == null) {
            return Future.failedFuture(notRunning());
        }
        if (message.kind() == Message.Kind.RESPONSE) {
            JsonNode original;
            synchronized (this) {
                original = message.id().isTextual() ? serverRequests.remove(message.id().asText()) : null;
            }
            if (original == null) {
                log.debug("a client answered {} on MCP server {}, which asked no such request (restarted?)", message.id(), name);
                return Future.succeededFuture();
            }
            return t.send(Message.write(message.withId(original).json()));
        }
        if (Methods.INITIALIZED.equals(message.method())) {
            return Future.succeededFuture(); // the gateway initialised the server itself
        }
        if (Methods.CANCELLED.equals(message.method())) {
            return cancel(t, call.downstream(), message);
        }
        return t.send(Message.write(message.json()));
    }

    private Future<Void> cancel(ChannelTransport t, String downstream, Message message) {
        String key = Ids.key(message.params().get("requestId"));
        String gwId = null;
        Pending p = null;
        synchronized (this) {
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                if (e.getValue().downstream != null && e.getValue().downstream.equals(downstream) && Ids.key(e.getValue().id).equals(key)) {
                    gwId = e.getKey();
                    p = e.getValue();
                    break;
                }
            }
            if (gwId != null) {
                pending.remove(gwId);
            }
        }
        if (p == null) {
            return Future.succeededFuture();
        }
        Pending cancelled = p;
        cancelled.deadline.cancel();
        cancelled.run(() -> cancelled.done.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "the request was cancelled")));
        return t.send(cancelled(TextNode.valueOf(gwId), message.param("reason")));
    }

    private static Buffer cancelled(JsonNode requestId, String reason) {
        ObjectNode n = Message.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", Methods.CANCELLED);
        ObjectNode params = n.putObject("params");
        params.set("requestId", requestId);
        if (reason != null) {
            params.put("reason", reason);
        }
        return Message.write(n);
    }

    @Override
    public Future<Listening> listen(Call call, String lastEventId, StreamMessages messages) {
        // stdio and legacy SSE number no events: there is nothing to resume from
        Listener l = new Listener(Vertx.currentContext(), m -> messages.accept(m, null), Promise.promise());
        synchronized (this) {
            if (closed) {
                return Future.failedFuture(new StreamUnsupported("MCP server " + name + " was removed from the configuration"));
            }
            listeners.add(l);
        }
        return Future.succeededFuture(new Listening() {
            @Override
            public void close() {
                synchronized (Channel.this) {
                    listeners.remove(l);
                }
                l.ended().tryComplete();
            }

            @Override
            public Future<Void> ended() {
                return l.ended().future();
            }
        });
    }

    @Override
    public Future<Void> terminate(Call call) {
        return Future.succeededFuture();
    }

    private void died(ChannelTransport t, String reason) {
        List<Pending> failed;
        long delay;
        synchronized (this) {
            if (transport != t) {
                return;
            }
            transport = null;
            failed = new ArrayList<>(pending.values());
            pending.clear();
            serverRequests.clear();
            if (ready.future().isComplete()) {
                ready = Promise.promise();
            }
            if (closed) {
                delay = -1;
            } else {
                boolean wasHealthy = startedAt != null && Duration.between(startedAt, clock.instant()).compareTo(HEALTHY) > 0;
                failures = wasHealthy ? 1 : failures + 1;
                delay = Math.min(30_000L, 500L << Math.min(failures - 1, 6));
                restartTimer = vertx.setTimer(delay, id -> start());
            }
        }
        if (delay >= 0) {
            log.warn("MCP server {} {}; {} call(s) in flight failed; restarting in {}ms", name, reason, failed.size(), delay);
        }
        for (Pending p : failed) {
            p.deadline.cancel();
            p.run(() -> p.done.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    "MCP server " + name + " " + reason + " before answering " + p.method)));
        }
    }

    /** Waits (blocking, up to {@code millis}) until the connection closed by {@link #close()} is gone. */
    void awaitClosed(long millis) {
        ChannelTransport t;
        synchronized (this) {
            t = last;
        }
        if (t != null) {
            t.awaitClosed(millis);
        }
    }

    /** Stops for good (the server left the configuration): calls in flight fail, streams end. */
    void close() {
        List<Listener> ls;
        ChannelTransport t;
        Promise<ObjectNode> waiting;
        synchronized (this) {
            closed = true;
            if (restartTimer >= 0) {
                vertx.cancelTimer(restartTimer);
            }
            t = transport;
            ls = new ArrayList<>(listeners);
            listeners.clear();
            waiting = ready;
        }
        waiting.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " was removed from the configuration"));
        if (t != null) {
            died(t, "was removed from the configuration");
            t.close();
        }
        ls.forEach(l -> l.ended().tryComplete());
    }

    private static void run(Context ctx, Runnable r) {
        if (ctx == null) {
            r.run();
        } else {
            ctx.runOnContext(v -> r.run());
        }
    }

    /** Whether a call is in flight: a connection that is busy is not idle, however long the call takes. */
    synchronized boolean busy() {
        return !pending.isEmpty();
    }

    /** For tests and the admin view: whether the server is initialised now. */
    synchronized boolean ready() {
        return ready.future().succeeded() && initializeResult != null;
    }
}
