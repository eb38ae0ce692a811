package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Renders failures on the MCP listener. A refusal of a JSON-RPC request
 * (authorization -32003, budget -32003, upstream failure -32603, timeout -32001, bad params) is a
 * JSON-RPC error in a 200 answer, so MCP clients surface it as the call's error; failures of the
 * transport itself (unknown server or session, missing session id, bad protocol version, body
 * too large, a body that is not JSON-RPC) keep their HTTP status with a JSON-RPC error body of
 * id null; authentication failures are 401 with
 * {@code WWW-Authenticate: Bearer resource_metadata="..."} (MCP authorization, RFC 9728).
 * For a legacy SSE client the JSON-RPC error goes on its event stream and the POST gets 202.
 */
final class McpErrors implements ErrorRenderer {
    /** Gateway codes whose failure is the transport's, not the call's: they keep their HTTP status. */
    static final Set<String> TRANSPORT = Set.of("session_not_found", "session_required", "unknown_server",
            "unsupported_protocol_version", "unknown_url", "method_not_allowed", "not_acceptable");

    private final Supplier<JsonNode> requestId;
    private final Supplier<LegacySessions.Session> legacy;

    /**
     * @param requestId the id of the JSON-RPC request being answered, once known (else null)
     * @param legacy    the legacy SSE session the answer belongs on, or null
     */
    McpErrors(Supplier<JsonNode> requestId, Supplier<LegacySessions.Session> legacy) {
        this.requestId = requestId;
        this.legacy = legacy;
    }

    static final McpErrors TRANSPORT_ONLY = new McpErrors(() -> null, () -> null);

    @Override
    public void render(Exchange ex, GatewayError error) {
        HttpServerResponse response = ex.response();
        JsonNode id = requestId.get();
        boolean inCall = id != null && !TRANSPORT.contains(error.code()) && switch (error.kind()) {
            case UNAUTHENTICATED, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, CLIENT_CLOSED -> false;
            default -> true;
        };
        Message body = Message.of(JsonRpcException.errorResponse(inCall ? id : null, code(error), error.getMessage(), data(error)));
        LegacySessions.Session session = legacy.get();
        if (inCall && session != null) {
            session.send(body);
            response.setStatusCode(202).end();
            return;
        }
        response.setStatusCode(inCall ? 200 : error.status());
        response.headers().addAll(error.headers());
        if (error.kind() == ErrorKind.UNAUTHENTICATED) {
            response.headers().set("WWW-Authenticate", "Bearer resource_metadata=\"" + metadataUrl(ex.request()) + "\"");
        }
        response.putHeader("content-type", "application/json").end(body.bytes());
    }

    static int code(GatewayError error) {
        if (error.getCause() instanceof JsonRpcException j) {
            return j.code();
        }
        return switch (error.kind()) {
            case FORBIDDEN, RATE_LIMITED -> JsonRpcException.REFUSED;
            // -32001: the SDKs' "request timeout", also used for "session not found"
            case UPSTREAM_TIMEOUT, NOT_FOUND, UNAUTHENTICATED -> JsonRpcException.REQUEST_TIMEOUT;
            case INVALID_REQUEST, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> JsonRpcException.INVALID_REQUEST;
            default -> JsonRpcException.INTERNAL_ERROR;
        };
    }

    private static ObjectNode data(GatewayError error) {
        ObjectNode data = Message.MAPPER.createObjectNode();
        data.put("status", error.status());
        data.put("code", error.code());
        return data;
    }

    /**
     * Where this endpoint's protected resource metadata is (RFC 9728 §3.1: the well-known path
     * inserted before the resource's path). A legacy {@code /sse/SERVER} resource is {@code /mcp/SERVER}.
     */
    static String metadataUrl(HttpServerRequest request) {
        return origin(request) + ProtectedResource.WELL_KNOWN + resourcePath(request.path());
    }

    static String origin(HttpServerRequest request) {
        String authority = request.authority() == null ? "localhost" : request.authority().toString();
        return request.scheme() + "://" + authority;
    }

    static String resourcePath(String path) {
        if (path.startsWith("/sse/")) {
            String rest = path.substring(5);
            int slash = rest.indexOf('/');
            return "/mcp/" + (slash < 0 ? rest : rest.substring(0, slash));
        }
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }
}
