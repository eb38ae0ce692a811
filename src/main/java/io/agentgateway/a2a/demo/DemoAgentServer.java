package io.agentgateway.a2a.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demo A2A agents ({@code a2a.agents[].demo: true}): one server on a loopback port hosting every
 * demo agent at {@code /NAMESPACE/NAME}, so the quickstart shows the A2A listener with no agent to
 * deploy. Each serves its card at {@code /NAMESPACE/NAME/.well-known/agent-card.json} and speaks
 * A2A 0.3 in both its bindings at that one address: JSON-RPC ({@code message/send} answers with a
 * completed task whose artifact repeats what it read, {@code message/stream} with the same task as
 * a stream of events: submitted, working, the artifact in two chunks, completed) and HTTP+JSON
 * ({@code POST .../v1/message:send} and {@code .../v1/message:stream}, the same task and events
 * unwrapped). It keeps no tasks: getting, cancelling or subscribing to one answers "task not
 * found". The gateway reaches it through the same code path as any agent.
 *
 * <p>Started once per process, on demand; thread-safe.
 */
public final class DemoAgentServer {
    private static final Pattern AGENT = Pattern.compile("/([a-z0-9-]+)/([a-z0-9-]+)(/\\.well-known/(agent-card|agent)\\.json|/v1/[^?]+)?/?");
    /** Pause between streamed events, so a caller sees them arrive one by one. */
    private static final long STREAM_STEP_MILLIS = 40;

    private final Vertx vertx;
    private final Clock clock;
    private final String version;
    private HttpServer server;
    private String baseUrl;

    /** @param version the gateway's version, which the demo agents' cards report as theirs */
    public DemoAgentServer(Vertx vertx, Clock clock, String version) {
        this.vertx = vertx;
        this.clock = clock;
        this.version = version;
    }

    /** Starts on an ephemeral loopback port; completes with the base URL ({@code http://127.0.0.1:PORT}). */
    public Future<String> start() {
        server = vertx.createHttpServer();
        server.requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> {
            baseUrl = "http://127.0.0.1:" + s.actualPort();
            return baseUrl;
        });
    }

    /** The URL of the demo agent {@code namespace/name} on a server started with base URL {@code base}. */
    public static String agentUrl(String base, String namespace, String name) {
        return base + "/" + namespace + "/" + name;
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Matcher m = AGENT.matcher(request.path());
        if (!m.matches()) {
            response.setStatusCode(404).end();
            return;
        }
        String namespace = m.group(1);
        String name = m.group(2);
        if (m.group(3) != null && m.group(3).startsWith("/v1/")) {
            rest(request, namespace, name, m.group(3).substring(3));
            return;
        }
        if (m.group(3) != null) {
            if (request.method() != HttpMethod.GET) {
                response.setStatusCode(405).putHeader("allow", "GET").end();
                return;
            }
            response.putHeader("content-type", "application/json").end(Json.write(card(namespace, name)));
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.setStatusCode(405).putHeader("allow", "POST").end();
            return;
        }
        request.body().onSuccess(body -> answer(namespace, name, body, response));
    }

    private ObjectNode card(String namespace, String name) {
        ObjectNode card = Json.MAPPER.createObjectNode()
                .put("protocolVersion", "0.3.0")
                .put("name", name)
                .put("description", "A demo agent built into Agent Gateway: it answers every message with what it read.")
                .put("url", agentUrl(baseUrl, namespace, name))
                .put("preferredTransport", "JSONRPC")
                .put("version", version);
        ArrayNode interfaces = card.putArray("additionalInterfaces");
        interfaces.addObject().put("url", agentUrl(baseUrl, namespace, name)).put("transport", "JSONRPC");
        interfaces.addObject().put("url", agentUrl(baseUrl, namespace, name)).put("transport", "HTTP+JSON");
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain");
        ObjectNode skill = card.putArray("skills").addObject()
                .put("id", "echo").put("name", "Echo").put("description", "Repeats the text of a message");
        skill.putArray("tags").add("demo");
        return card;
    }

    private void answer(String namespace, String name, Buffer body, HttpServerResponse response) {
        ObjectNode call;
        try {
            call = Json.parseObject(body);
        } catch (GatewayError e) {
            json(response, error(null, -32700, e.getMessage()));
            return;
        }
        JsonNode id = call.path("id").isMissingNode() ? Json.MAPPER.nullNode() : call.get("id");
        String method = call.path("method").asText("");
        JsonNode message = call.path("params").path("message");
        switch (method) {
            case "message/send", "message/stream" -> {
                if (!message.isObject()) {
                    json(response, error(id, -32602, "params.message is required"));
                    return;
                }
                DemoTask task = task(namespace, name, message);
                if (method.equals("message/send")) {
                    json(response, result(id, task.completed()));
                } else {
                    stream(response, id, task.events());
                }
            }
            case "tasks/get", "tasks/cancel", "tasks/resubscribe" ->
                    json(response, error(id, -32001, "Task not found: the demo agent keeps no tasks"));
            default -> json(response, error(id, -32601, "Method not found: " + method));
        }
    }

    /**
     * One HTTP+JSON call ({@code path} below {@code /v1}): a message sent or streamed answers as on
     * JSON-RPC, the task or events unwrapped; a task named by the path is never known.
     */
    private void rest(HttpServerRequest request, String namespace, String name, String path) {
        HttpServerResponse response = request.response();
        boolean send = path.equals("/message:send");
        if (!send && !path.equals("/message:stream")) {
            boolean task = path.startsWith("/tasks/");
            response.setStatusCode(task ? 404 : 400).putHeader("content-type", "application/json").end(Json.write(restError(
                    task ? -32001 : -32601, task ? "Task not found: the demo agent keeps no tasks" : "Method not found: " + path)));
            return;
        }
        if (request.method() != HttpMethod.POST) {
            response.setStatusCode(405).putHeader("allow", "POST").end();
            return;
        }
        request.body().onSuccess(body -> {
            JsonNode message;
            try {
                message = Json.parseObject(body).path("message");
            } catch (GatewayError e) {
                response.setStatusCode(400).putHeader("content-type", "application/json").end(Json.write(restError(-32700, e.getMessage())));
                return;
            }
            if (!message.isObject()) {
                response.setStatusCode(400).putHeader("content-type", "application/json")
                        .end(Json.write(restError(-32602, "message is required")));
                return;
            }
            DemoTask task = task(namespace, name, message);
            if (send) {
                response.putHeader("content-type", "application/json").end(Json.write(task.completed()));
            } else {
                stream(response, null, task.events());
            }
        });
    }

    private DemoTask task(String namespace, String name, JsonNode message) {
        return new DemoTask(UUID.randomUUID().toString(), message.path("contextId").asText(UUID.randomUUID().toString()),
                name + " (a demo agent in " + namespace + ") read:", text(message), clock);
    }

    private static ObjectNode restError(int code, String message) {
        return Json.MAPPER.createObjectNode().put("code", code).put("message", message);
    }

    /** The text parts of a message, joined by a space. */
    private static String text(JsonNode message) {
        StringBuilder out = new StringBuilder();
        for (JsonNode part : message.path("parts")) {
            if (part.has("text")) {
                out.append(out.isEmpty() ? "" : " ").append(part.path("text").asText());
            }
        }
        return out.toString();
    }

    private void stream(HttpServerResponse response, JsonNode id, List<ObjectNode> events) {
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        send(response, id, events, 0);
    }

    /** Writes event {@code next}: as a JSON-RPC result for the call {@code id}, or bare for HTTP+JSON ({@code id} null). */
    private void send(HttpServerResponse response, JsonNode id, List<ObjectNode> events, int next) {
        if (response.closed()) {
            return;
        }
        response.write("data: " + Json.write(id == null ? events.get(next) : result(id, events.get(next))) + "\n\n");
        if (next + 1 == events.size()) {
            response.end();
            return;
        }
        vertx.setTimer(STREAM_STEP_MILLIS, t -> send(response, id, events, next + 1));
    }

    private static ObjectNode result(JsonNode id, ObjectNode result) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        return out;
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id == null ? Json.MAPPER.nullNode() : id);
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }

    private static void json(HttpServerResponse response, ObjectNode message) {
        response.putHeader("content-type", "application/json").end(Json.write(message));
    }
}
