package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

/**
 * What the gateway reads of one A2A JSON-RPC request: its id, method, and the task and context it
 * names. The body itself is forwarded as received, never re-serialised; this is read by a streaming
 * scan ({@link RpcScan}), or, for what the scan leaves to it, from one tree parse.
 *
 * @param id        the request id (a string, a number or JSON null), or null for a notification
 * @param method    the method, as sent
 * @param taskId    the task the call is about, when the params name one
 * @param contextId the context the call is about, when the params name one
 */
record RpcRequest(JsonNode id, String method, String taskId, String contextId) {
    /** Longest method name kept in metrics, spans and audit; longer ones are cut. */
    static final int MAX_METHOD = 100;

    /** Parses a body as JSON; fails with a JSON-RPC parse error (-32700) saying where it broke. */
    static JsonNode parseJson(Buffer body) {
        try {
            return Json.parse(body);
        } catch (GatewayError e) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "parse_error", e.getMessage(), null, null);
        }
    }

    /** The id of a parsed body when it is usable in an answer, else null. */
    static JsonNode idOf(JsonNode body) {
        if (!body.isObject()) {
            return null;
        }
        JsonNode id = body.get("id");
        return id != null && (id.isTextual() || id.isNumber() || id.isNull()) ? id : null;
    }

    /**
     * Validates a parsed body as one JSON-RPC 2.0 request.
     *
     * @throws GatewayError 400 (JSON-RPC -32600) naming what is wrong
     */
    static RpcRequest of(JsonNode body) {
        if (body.isArray()) {
            throw invalid("batch_not_supported", "the body is a JSON-RPC batch; A2A has no batch requests,"
                    + " send one JSON-RPC request per HTTP request");
        }
        if (!body.isObject()) {
            throw invalid("invalid_request", "the body must be a JSON-RPC request object, not " + Json.kind(body));
        }
        JsonNode version = body.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.asText().equals("2.0")) {
            throw invalid("invalid_request", "\"jsonrpc\" must be \"2.0\"");
        }
        JsonNode method = body.get("method");
        if (method == null || method.isNull()) {
            throw invalid("invalid_request", "the JSON-RPC request has no \"method\"");
        }
        if (!method.isTextual() || method.asText().isEmpty()) {
            throw invalid("invalid_request", "\"method\" must be a non-empty string, not " + Json.kind(method));
        }
        JsonNode id = body.get("id");
        if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
            throw invalid("invalid_request", "\"id\" must be a string, a number or null, not " + Json.kind(id));
        }
        String name = method.asText();
        JsonNode params = body.path("params");
        String taskId = null;
        String contextId = null;
        if (A2aMethods.isSend(name)) {
            taskId = text(params.path("message").get("taskId"));
            contextId = text(params.path("message").get("contextId"));
        } else if (A2aMethods.takesTaskId(name)) {
            taskId = text(params.get("id"));
            if (taskId == null) {
                taskId = resourceId(text(params.get("name")));
            }
        } else if (A2aMethods.isPushConfig(name)) {
            taskId = text(params.get("taskId"));
            if (taskId == null) {
                taskId = text(params.get("id"));
            }
        } else {
            contextId = text(params.get("contextId"));
        }
        return new RpcRequest(id, name.length() > MAX_METHOD ? name.substring(0, MAX_METHOD) : name, taskId, contextId);
    }

    boolean streaming() {
        return A2aMethods.isStreaming(method);
    }

    static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? bounded(n.asText()) : null;
    }

    /** A task named as a resource ({@code tasks/ID}), as some A2A 1.0 clients send it. */
    private static String resourceId(String name) {
        return name != null && name.startsWith("tasks/") && name.length() > 6 ? name.substring(6) : null;
    }

    /** Ids go into metrics exemplars, spans and audit: keep them a sane size. */
    static String bounded(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private static GatewayError invalid(String code, String message) {
        return new GatewayError(ErrorKind.INVALID_REQUEST, 400, code, message, null, null);
    }
}
