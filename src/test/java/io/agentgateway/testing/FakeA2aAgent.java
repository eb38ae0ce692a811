package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static io.agentgateway.testing.A2aWire.JSON;

/**
 * An A2A agent on the A2A 0.3 JSON-RPC wire format as the specification shows it, answering A2A
 * 1.0 method names too when the caller sends {@code A2A-Version: 1.0}: its card at
 * {@code .well-known/agent-card.json} under any base path, {@code message/send} (a Task, or a
 * Message when the text starts with {@code reply:}), {@code message/stream} (Task, working,
 * two artifact chunks, completed), {@code tasks/get}, {@code tasks/cancel}, {@code tasks/resubscribe};
 * push notification configs are refused with A2A's {@code -32003} as the card declares no support.
 * A message text of {@code wait} starts a task that streams until it is cancelled.
 *
 * <p>Records every request byte for byte; card answers and misbehaviour are scripted. Runs on
 * its own Vert.x; close it after the test.
 */
public final class FakeA2aAgent implements AutoCloseable {
    /** One request as the agent saw it, body as raw bytes. */
    public record Received(String method, String path, MultiMap headers, Buffer body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body.getBytes());
            } catch (Exception e) {
                return null;
            }
        }
    }

    /** What to do with a JSON-RPC call. */
    public sealed interface Behaviour {
    }

    /** Behave as an A2A agent. */
    public record Serve() implements Behaviour {
    }

    /** Answer with this status and raw body. */
    public record Status(int status, String contentType, String body) implements Behaviour {
    }

    /** For streams: send {@code events} events, then break the connection off. */
    public record BreakMidStream(int events) implements Behaviour {
    }

    /** For streams: send {@code events} events, then end the response as if all was said. */
    public record EndEarly(int events) implements Behaviour {
    }

    /** For streams: wait {@code gapMillis} before each event. */
    public record SlowStream(long gapMillis) implements Behaviour {
    }

    /** How the card endpoint answers. */
    public sealed interface CardBehaviour {
    }

    public record CardV03() implements CardBehaviour {
    }

    public record CardV1() implements CardBehaviour {
    }

    /** The 1.0 card to callers sending {@code A2A-Version: 1.0}, the 0.3 card to the others. */
    public record CardByVersion() implements CardBehaviour {
    }

    /** The 1.0 card with a signature of the agent's own (which the gateway's rewrite invalidates). */
    public record SignedCardV1() implements CardBehaviour {
    }

    /** Only the A2A 0.2 name {@code agent.json} is served; {@code agent-card.json} is 404. */
    public record LegacyCardOnly() implements CardBehaviour {
    }

    public record RawCard(int status, String contentType, String body, String cacheControl) implements CardBehaviour {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Function<Received, Behaviour>> script = new AtomicReference<>(r -> new Serve());
    private final AtomicReference<CardBehaviour> card = new AtomicReference<>(new CardV03());
    private final AtomicInteger cardFetches = new AtomicInteger();
    private final AtomicInteger closedStreams = new AtomicInteger();
    private final AtomicInteger taskCounter = new AtomicInteger();
    final Map<String, ObjectNode> tasks = new ConcurrentHashMap<>();
    final Map<String, HttpServerResponse> waiting = new ConcurrentHashMap<>();
    private final A2aAgentStreams streams;

    private final LoopbackServer server;

    private FakeA2aAgent() {
        this.streams = new A2aAgentStreams(this);
        this.server = LoopbackServer.start(this::handle);
    }

    public static FakeA2aAgent start() {
        return new FakeA2aAgent();
    }

    public String url() {
        return server.url() + "/";
    }

    public int port() {
        return server.port();
    }

    /** The Vert.x it runs on, for {@link A2aAgentStreams}' timers. */
    io.vertx.core.Vertx vertx() {
        return server.vertx();
    }

    public List<Received> received() {
        return received;
    }

    /** The JSON-RPC calls received (card fetches left out). */
    public List<Received> calls() {
        return received.stream().filter(r -> r.method().equals("POST")).toList();
    }

    public Received lastCall() {
        List<Received> calls = calls();
        return calls.get(calls.size() - 1);
    }

    public FakeA2aAgent script(Function<Received, Behaviour> f) {
        script.set(f);
        return this;
    }

    public FakeA2aAgent always(Behaviour b) {
        return script(r -> b);
    }

    public FakeA2aAgent card(CardBehaviour b) {
        card.set(b);
        return this;
    }

    public int cardFetches() {
        return cardFetches.get();
    }

    /** Ids of the tasks still working (started with the text {@code wait} and not cancelled). */
    public Set<String> workingTasks() {
        Set<String> out = new HashSet<>();
        tasks.forEach((id, t) -> {
            if (t.path("status").path("state").asText().equals("working")) {
                out.add(id);
            }
        });
        return out;
    }

    /** Streams whose caller went away before the stream ended. */
    public int closedStreams() {
        return closedStreams.get();
    }

    void streamClosedEarly() {
        closedStreams.incrementAndGet();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Received r = new Received(request.method().name(), request.path(),
                    MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.copy());
            received.add(r);
            HttpServerResponse response = request.response();
            if (request.method() == HttpMethod.GET && request.path().contains("/.well-known/")) {
                card(request.path(), request.getHeader("a2a-version"), response);
                return;
            }
            switch (script.get().apply(r)) {
                case Status s -> response.setStatusCode(s.status()).putHeader("content-type", s.contentType()).end(s.body());
                case Serve s -> rpc(r, response, null);
                case BreakMidStream b -> rpc(r, response, b);
                case EndEarly e -> rpc(r, response, e);
                case SlowStream s -> rpc(r, response, s);
            }
        });
    }

    private void card(String path, String version, HttpServerResponse response) {
        cardFetches.incrementAndGet();
        String base = url();
        switch (card.get()) {
            case CardV03 c -> json(response, A2aWire.card(base));
            case CardV1 c -> json(response, A2aWire.cardV1(base));
            case CardByVersion c -> json(response, "1.0".equals(version) ? A2aWire.cardV1(base) : A2aWire.card(base));
            case SignedCardV1 c -> {
                ObjectNode signed = A2aWire.cardV1(base);
                signed.putArray("signatures").addObject().put("protected", "eyJhbGciOiJFUzI1NiIsImtpZCI6ImFnZW50In0")
                        .put("signature", "c2lnbmVkIGJ5IHRoZSBhZ2VudA");
                json(response, signed);
            }
            case LegacyCardOnly c -> {
                if (path.endsWith("/agent.json")) {
                    json(response, A2aWire.card(base));
                } else {
                    response.setStatusCode(404).end();
                }
            }
            case RawCard c -> {
                response.setStatusCode(c.status()).putHeader("content-type", c.contentType());
                if (c.cacheControl() != null) {
                    response.putHeader("cache-control", c.cacheControl());
                }
                response.end(c.body());
            }
        }
    }

    private void rpc(Received r, HttpServerResponse response, Behaviour misbehaviour) {
        JsonNode call = r.json();
        JsonNode id = call.get("id");
        boolean v1 = "1.0".equals(r.headers().get("a2a-version"));
        String method = call.path("method").asText();
        JsonNode params = call.path("params");
        switch (v1 ? A2aAgentStreams.v03Name(method) : method) {
            case "message/send" -> json(response, A2aWire.result(id, v1 ? A2aWire.v1(send(params)) : send(params)));
            case "message/stream" -> streams.stream(response, id, params, v1, misbehaviour);
            case "tasks/get" -> withTask(response, id, params, t -> A2aWire.result(id, v1 ? A2aWire.v1(t).get("task") : t));
            case "tasks/cancel" -> cancel(response, id, params, v1);
            case "tasks/resubscribe" -> streams.resubscribe(response, id, params, v1);
            case "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get",
                 "tasks/pushNotificationConfig/list", "tasks/pushNotificationConfig/delete" ->
                    json(response, A2aWire.error(id, -32003, "Push Notification is not supported"));
            default -> json(response, A2aWire.error(id, -32601, "Method not found"));
        }
    }

    ObjectNode send(JsonNode params) {
        JsonNode message = params.path("message");
        String text = message.path("parts").path(0).path("text").asText();
        String contextId = message.path("contextId").asText("ctx-" + (taskCounter.get() + 1));
        if (text.startsWith("reply:")) {
            return A2aWire.message("agent", "echo: " + text.substring(6), "reply-" + message.path("messageId").asText(),
                    null, contextId);
        }
        String taskId = newTaskId();
        ObjectNode task = A2aWire.task(taskId, contextId, "completed", message, "echo: " + text);
        tasks.put(taskId, task);
        return task;
    }

    String newTaskId() {
        return "task-" + taskCounter.incrementAndGet();
    }

    private void withTask(HttpServerResponse response, JsonNode id, JsonNode params, Function<ObjectNode, ObjectNode> answer) {
        ObjectNode task = tasks.get(params.path("id").asText());
        json(response, task == null ? A2aWire.error(id, -32001, "Task not found") : answer.apply(task));
    }

    private void cancel(HttpServerResponse response, JsonNode id, JsonNode params, boolean v1) {
        String taskId = params.path("id").asText();
        ObjectNode task = tasks.get(taskId);
        if (task == null) {
            json(response, A2aWire.error(id, -32001, "Task not found"));
            return;
        }
        String state = task.path("status").path("state").asText();
        if (!state.equals("working") && !state.equals("submitted")) {
            json(response, A2aWire.error(id, -32002, "Task cannot be canceled"));
            return;
        }
        task.set("status", A2aWire.status("canceled"));
        streams.canceled(taskId, task);
        json(response, A2aWire.result(id, v1 ? A2aWire.v1(task).get("task") : task));
    }

    static void json(HttpServerResponse response, JsonNode body) {
        response.putHeader("content-type", "application/json").end(body.toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
