package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Streamable HTTP MCP server that sends its own requests and notifications only on its GET
 * stream, never on the POST stream of the call that caused them, and drops them when no GET
 * stream is attached at that moment: what the TypeScript SDK's servers do for a request sent
 * without a related request id and without an event store. Its tool {@code ask} sends
 * {@code elicitation/create} and answers with what the client answered; {@code announce} sends a
 * {@code notifications/message} on the stream (its {@code data} the {@code note} argument, else
 * {@code announced}) and answers at once; {@code announce_after}
 * answers first and sends the notification once the answer is written. Counts what it dropped.
 */
public final class StreamOnlyMcpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopbackServer server;
    private final Map<String, HttpServerResponse> streams = new ConcurrentHashMap<>();
    private final Map<String, Pending> asked = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger seq = new java.util.concurrent.atomic.AtomicInteger();

    private static final String ANNOUNCED =
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"announced\"}}";

    private record Pending(HttpServerResponse call, JsonNode callId, long timer) {
    }

    /** Per session, the events sent on its GET stream, in order, when the server keeps them. */
    private final Map<String, java.util.List<String[]>> events = new ConcurrentHashMap<>();
    private final java.util.List<String> resumedFrom = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final boolean resumable;

    private StreamOnlyMcpServer(boolean resumable) throws Exception {
        this.resumable = resumable;
        server = LoopbackServer.start(this::handle);
    }

    public static StreamOnlyMcpServer start() {
        return start(false);
    }

    /**
     * A server that keeps its events, as the TypeScript SDK's servers do with an event store:
     * each event on the GET stream has an id, and a GET with {@code Last-Event-ID} replays the
     * session's events after it before going on (the new stream replaces the old one).
     */
    public static StreamOnlyMcpServer startResumable() {
        return start(true);
    }

    private static StreamOnlyMcpServer start(boolean resumable) {
        try {
            return new StreamOnlyMcpServer(resumable);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A gateway config with this server as {@code so} on an MCP listener, for callers with the API
     * key in {@code DEV_KEY} (namespace {@code dev-team}).
     */
    public String gatewayConfig() {
        return TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: so, transport: streamable_http, url: "%s", timeout: 30s}
                """.formatted(url()) + TestGateway.DEV_KEY;
    }

    /** The {@code Last-Event-ID}s GETs came with, in order. */
    public java.util.List<String> resumedFrom() {
        return java.util.List.copyOf(resumedFrom);
    }

    public String url() {
        return server.url() + "/mcp";
    }

    /** Server messages sent while no GET stream was attached: lost, as with the SDK. */
    public int dropped() {
        return dropped.get();
    }

    private void handle(HttpServerRequest req) {
        String session = req.getHeader("mcp-session-id");
        switch (req.method().name()) {
            case "GET" -> {
                if (session == null) {
                    req.response().setStatusCode(400).end();
                    return;
                }
                HttpServerResponse r = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
                r.write(": open\n\n");
                String last = req.getHeader("last-event-id");
                if (resumable && last != null) {
                    resumedFrom.add(last);
                    synchronized (events) {
                        boolean after = false;
                        for (String[] e : events.getOrDefault(session, java.util.List.of())) {
                            if (after) {
                                r.write("id: " + e[0] + "\nevent: message\ndata: " + e[1] + "\n\n");
                            }
                            after |= e[0].equals(last);
                        }
                    }
                }
                HttpServerResponse old = streams.put(session, r);
                if (old != null && resumable) {
                    old.end();
                }
                r.closeHandler(v -> streams.remove(session, r));
            }
            case "DELETE" -> req.response().setStatusCode(200).end();
            case "POST" -> req.body().onSuccess(b -> post(req, session, b.toString()));
            default -> req.response().setStatusCode(405).end();
        }
    }

    private void post(HttpServerRequest req, String session, String body) {
        JsonNode m;
        try {
            m = JSON.readTree(body);
        } catch (Exception e) {
            req.response().setStatusCode(400).end();
            return;
        }
        String method = m.path("method").asText(null);
        if (method == null) {
            // the client's answer to our request
            Pending p = asked.remove(m.path("id").asText());
            req.response().setStatusCode(202).end();
            if (p != null) {
                server.vertx().cancelTimer(p.timer());
                answer(p.call(), p.callId(), "the client answered: " + m.path("result").path("content"));
            }
            return;
        }
        if (!m.has("id")) {
            req.response().setStatusCode(202).end();
            return;
        }
        switch (method) {
            case "initialize" -> {
                ObjectNode result = JSON.createObjectNode();
                result.put("protocolVersion", m.path("params").path("protocolVersion").asText("2025-06-18"));
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "stream-only").put("version", "1");
                req.response().putHeader("mcp-session-id", "s-" + seq.incrementAndGet());
                reply(req.response(), m.get("id"), result);
            }
            case "tools/list" -> {
                ObjectNode result = JSON.createObjectNode();
                result.putArray("tools").addObject().put("name", "ask").put("description", "Asks the user")
                        .putObject("inputSchema").put("type", "object");
                reply(req.response(), m.get("id"), result);
            }
            case "tools/call" -> {
                String tool = m.path("params").path("name").asText();
                if (tool.equals("announce")) {
                    String note = m.path("params").path("arguments").path("note").asText(null);
                    onStream(session, note == null ? ANNOUNCED : ANNOUNCED.replace("\"announced\"", JSON.valueToTree(note).toString()));
                    answer(req.response(), m.get("id"), "announced");
                    return;
                }
                if (tool.equals("announce_after")) {
                    // the answer is on the wire before the notification is sent
                    answer(req.response(), m.get("id"), "announced").onComplete(ar -> onStream(session, ANNOUNCED));
                    return;
                }
                String id = "elicit-" + seq.incrementAndGet();
                long timer = server.vertx().setTimer(5_000, t -> {
                    Pending p = asked.remove(id);
                    if (p != null) {
                        answer(p.call(), p.callId(), "nobody answered the elicitation");
                    }
                });
                asked.put(id, new Pending(req.response(), m.get("id"), timer));
                onStream(session, "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"elicitation/create\",\"params\":{\"message\":\"Your name?\","
                        + "\"requestedSchema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}}");
            }
            default -> req.response().putHeader("content-type", "application/json")
                    .end("{\"jsonrpc\":\"2.0\",\"id\":" + m.get("id") + ",\"error\":{\"code\":-32601,\"message\":\"no " + method + "\"}}");
        }
    }

    private void onStream(String session, String message) {
        HttpServerResponse s = session == null ? null : streams.get(session);
        if (s == null || s.closed()) {
            dropped.incrementAndGet();
            return;
        }
        if (!resumable) {
            s.write("event: message\ndata: " + message + "\n\n");
            return;
        }
        synchronized (events) {
            java.util.List<String[]> log = events.computeIfAbsent(session, k -> new java.util.ArrayList<>());
            String id = session + "_" + (log.size() + 1);
            log.add(new String[]{id, message});
            s.write("id: " + id + "\nevent: message\ndata: " + message + "\n\n");
        }
    }

    private static io.vertx.core.Future<Void> answer(HttpServerResponse r, JsonNode id, String text) {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return reply(r, id, result);
    }

    private static io.vertx.core.Future<Void> reply(HttpServerResponse r, JsonNode id, ObjectNode result) {
        ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        if (r.closed()) {
            return io.vertx.core.Future.succeededFuture();
        }
        return r.putHeader("content-type", "application/json").end(out.toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
