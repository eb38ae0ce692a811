package io.agentgateway.mcp.demo;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.util.List;
import java.util.Set;

/**
 * The {@code demo} MCP transport: a small MCP server speaking Streamable HTTP on a loopback port,
 * so the quickstart shows the MCP listener with no server to install. The gateway reaches it
 * through the same code path as any Streamable HTTP server. Stateless: every answer is one JSON
 * body, no session id, no server-initiated stream (a GET is 405, as the specification allows).
 * Its tools ({@link DemoTools}): {@code echo}, {@code add} and {@code drop_table}, the last one
 * harmless (nothing is stored) and named so that a policy would keep it from production callers.
 *
 * <p>Started once per process, on demand; thread-safe.
 */
public final class DemoMcpServer {
    /** The protocol revisions it speaks, newest first: a client asking for another gets the newest. */
    static final List<String> VERSIONS = List.of("2025-06-18", "2025-03-26", "2024-11-05");
    private static final String PATH = "/mcp";

    private final Vertx vertx;
    private final String version;
    private HttpServer server;

    /** @param version the gateway's version, which the server reports as its own */
    public DemoMcpServer(Vertx vertx, String version) {
        this.vertx = vertx;
        this.version = version;
    }

    /** Starts on an ephemeral loopback port; completes with the endpoint URL ({@code http://127.0.0.1:PORT/mcp}). */
    public Future<String> start() {
        server = vertx.createHttpServer();
        server.requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> "http://127.0.0.1:" + s.actualPort() + PATH);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        if (!PATH.equals(request.path())) {
            response.setStatusCode(404).end();
            return;
        }
        if (request.method() != HttpMethod.POST) {
            // No server-initiated stream and no sessions to delete.
            response.setStatusCode(405).putHeader("allow", "POST").end();
            return;
        }
        request.body().onSuccess(body -> answer(body, response));
    }

    private void answer(Buffer body, HttpServerResponse response) {
        ObjectNode message;
        try {
            message = Json.parseObject(body);
        } catch (GatewayError e) {
            reply(response, error(null, -32700, e.getMessage()));
            return;
        }
        JsonNode id = message.get("id");
        String method = message.path("method").asText("");
        if (id == null) {
            // A notification (notifications/initialized, cancellations) or a response: nothing to answer.
            response.setStatusCode(202).end();
            return;
        }
        JsonNode params = message.path("params");
        ObjectNode result = Json.MAPPER.createObjectNode();
        switch (method) {
            case "initialize" -> initialize(params, result);
            case "ping" -> {
            }
            case "tools/list" -> result.set("tools", DemoTools.list());
            case "tools/call" -> {
                String tool = params.path("name").asText("");
                if (!DemoTools.NAMES.contains(tool)) {
                    reply(response, error(id, -32602, "Unknown tool: " + tool));
                    return;
                }
                result.setAll(DemoTools.call(tool, params.path("arguments")));
            }
            default -> {
                reply(response, error(id, -32601, "Method not found: " + method));
                return;
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        reply(response, out);
    }

    private void initialize(JsonNode params, ObjectNode result) {
        String asked = params.path("protocolVersion").asText("");
        result.put("protocolVersion", VERSIONS.contains(asked) ? asked : VERSIONS.get(0));
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo").put("name", "agentgateway-demo-tools").put("version", version);
        result.put("instructions", "A demo server built into Agent Gateway: echo, add and drop_table (nothing is stored).");
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id == null ? Json.MAPPER.nullNode() : id);
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }

    private static void reply(HttpServerResponse response, ObjectNode message) {
        response.putHeader("content-type", "application/json").end(Json.write(message));
    }

    /** The tool names, for the policies and tests that name them. */
    public static Set<String> toolNames() {
        return DemoTools.NAMES;
    }
}
