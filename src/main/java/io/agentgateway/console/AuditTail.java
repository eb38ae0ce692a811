package io.agentgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.observe.AuditEvents;
import io.agentgateway.observe.AuditLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live tail of the audit log: the last {@value #KEEP} events exactly as written (hash chain
 * included), and {@code GET /api/audit/events} as server-sent events ({@code event: audit}, the
 * event's JSON line as {@code data}), first the recent events that match the filters, then each new
 * one. Filters are query parameters: {@code namespace}, {@code service_account}, {@code protocol},
 * {@code decision}, {@code status}. Lines are parsed only for a watcher or a refusal, so the audit
 * writer pays next to nothing while nobody looks. A watcher that cannot keep up misses events
 * (and is told how many) rather than buffering without bound.
 *
 * <p>Thread-safe: lines arrive on the audit writer thread and are written to each watcher on its
 * own event loop.
 */
final class AuditTail {
    static final int KEEP = 500;
    private static final int REPLAY = 200;
    /** Open streams at most: each costs a parse per event, and the admin port is not a fan-out service. */
    static final int MAX_WATCHERS = 32;
    private static final Set<String> FILTERS = Set.of("namespace", "service_account", "protocol", "decision", "status");

    private final AuditLog log;
    private final Clock clock;
    private final Deque<String> recent = new ArrayDeque<>();
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Long>> policyRefusals = new ConcurrentHashMap<>();

    AuditTail(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** The audit log's tap: called on the writer thread with each batch of sealed lines. */
    void accept(List<String> lines) {
        synchronized (recent) {
            for (String line : lines) {
                recent.addLast(line);
                if (recent.size() > KEEP) {
                    recent.pollFirst();
                }
            }
        }
        for (String line : lines) {
            if (line.contains("\"decision\":\"deny\"")) {
                countRefusal(line);
            }
        }
        for (Watcher w : watchers) {
            w.context.runOnContext(v -> lines.forEach(w::send));
        }
    }

    private void countRefusal(String line) {
        ObjectNode e = parse(line);
        if (e == null) {
            return;
        }
        String ns = e.path("principal").path("namespace").asText("");
        String policy = e.path("policy").asText("");
        if (!ns.isEmpty() && !policy.isEmpty()) {
            policyRefusals.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).merge(policy, 1L, Long::sum);
        }
    }

    /** Refusals by authorization (the deciding policy or A2A rule) per namespace, since the gateway started. */
    Map<String, Map<String, Long>> policyRefusals() {
        Map<String, Map<String, Long>> out = new HashMap<>();
        policyRefusals.forEach((ns, m) -> out.put(ns, Map.copyOf(m)));
        return out;
    }

    private List<String> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** {@code GET /api/audit/chain}: the chain head, and whether the recent events hold together. */
    JsonObject chainState() {
        AuditLog.Chain chain = log.chain();
        List<String> lines = recent();
        int verified = 0;
        String brokenAt = null;
        String problem = null;
        String previous = null;
        for (String line : lines) {
            ObjectNode e = parse(line);
            if (e == null || !AuditEvents.verifyHash(e)) {
                brokenAt = e == null ? "(unreadable line)" : e.path("event_id").asText();
                problem = "its hash does not match its content";
                break;
            }
            if (previous != null && !previous.equals(e.path("prev_hash").asText())) {
                brokenAt = e.path("event_id").asText();
                problem = "its prev_hash is not the hash of the event before it";
                break;
            }
            previous = e.path("hash").asText();
            verified++;
        }
        boolean headMatches = previous == null || previous.equals(chain.lastHash());
        return new JsonObject()
                .put("gateway", chain.gateway())
                .put("last_hash", chain.lastHash())
                .put("written", chain.written())
                .put("dropped", chain.dropped())
                .put("checked", verified)
                .put("intact", brokenAt == null && headMatches)
                .put("broken_at", brokenAt)
                .put("problem", problem != null ? problem : headMatches ? null : "the newest event is not the chain's head")
                .put("checked_at", clock.instant().toString());
    }

    /** {@code GET /api/audit/events}: recent matching events, then live ones, as server-sent events. */
    void stream(RoutingContext rc) {
        if (watchers.size() >= MAX_WATCHERS) {
            rc.response().setStatusCode(503).putHeader("content-type", "application/json").putHeader("retry-after", "10")
                    .end(new JsonObject().put("error", new JsonObject().put("message", MAX_WATCHERS
                            + " audit streams are open already; close one (a console tab) and retry")).encode());
            return;
        }
        Map<String, String> filter = new HashMap<>();
        for (String f : FILTERS) {
            String v = rc.request().getParam(f);
            if (v != null && !v.isBlank()) {
                filter.put(f, v.trim());
            }
        }
        HttpServerResponse response = rc.response();
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store").putHeader("x-accel-buffering", "no");
        Watcher w = new Watcher(Vertx.currentContext(), response, filter);
        List<String> lines = recent();
        List<String> replay = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && replay.size() < REPLAY; i--) {
            if (w.matches(lines.get(i))) {
                replay.add(lines.get(i));
            }
        }
        response.write(": audit tail of " + log.chain().gateway() + "\n\n");
        for (int i = replay.size() - 1; i >= 0; i--) {
            w.write(replay.get(i));
        }
        watchers.add(w);
        long heartbeat = w.context.owner().setPeriodic(15_000, id -> w.comment("keep-alive"));
        response.closeHandler(v -> {
            watchers.remove(w);
            w.context.owner().cancelTimer(heartbeat);
        });
    }

    void close() {
        for (Watcher w : watchers) {
            w.context.runOnContext(v -> w.response.end());
        }
        watchers.clear();
    }

    private static ObjectNode parse(String line) {
        try {
            return AuditEvents.parse(line);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One open event stream. Touched only on its own context. */
    private static final class Watcher {
        final Context context;
        final HttpServerResponse response;
        final Map<String, String> filter;
        long missed;

        Watcher(Context context, HttpServerResponse response, Map<String, String> filter) {
            this.context = context;
            this.response = response;
            this.filter = filter;
        }

        boolean matches(String line) {
            if (filter.isEmpty()) {
                return true;
            }
            ObjectNode e = parse(line);
            if (e == null) {
                return false;
            }
            for (Map.Entry<String, String> f : filter.entrySet()) {
                JsonNode v = switch (f.getKey()) {
                    case "namespace" -> e.path("principal").path("namespace");
                    case "service_account" -> e.path("principal").path("service_account");
                    default -> e.path(f.getKey());
                };
                if (!f.getValue().equals(v.asText())) {
                    return false;
                }
            }
            return true;
        }

        void send(String line) {
            if (response.closed() || !matches(line)) {
                return;
            }
            if (response.writeQueueFull()) {
                missed++;
                return;
            }
            if (missed > 0) {
                response.write("event: missed\ndata: " + missed + "\n\n");
                missed = 0;
            }
            write(line);
        }

        void write(String line) {
            response.write("event: audit\ndata: " + line + "\n\n");
        }

        void comment(String text) {
            if (!response.closed()) {
                response.write(": " + text + "\n\n");
            }
        }
    }
}
