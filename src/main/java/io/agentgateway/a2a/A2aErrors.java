package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.policy.Decision;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Failures on the A2A listener as JSON-RPC 2.0 error responses, with the HTTP
 * status of the failure (401, 403, 404, 429, 502...) so plain HTTP tooling sees it too:
 * <pre>{"jsonrpc":"2.0","id":7,"error":{"code":-32000,"message":"...",
 *   "data":{"type":"permission_denied","status":403,"policy":"cross-namespace-restricted","request_id":"..."}}}</pre>
 * Codes: {@code -32700} for a body that is not JSON, {@code -32600} for a request that is not a
 * valid JSON-RPC request, {@code -32603} for an internal error, and {@code -32000} (JSON-RPC's
 * implementation-defined server error) for every refusal or upstream failure of the gateway, so
 * none is mistaken for an A2A error of the agent ({@code -32001..-32009}). {@code data.type} says
 * which; {@code data.policy} names the rule or policy that refused.
 */
final class A2aErrors implements ErrorRenderer {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;
    static final int GATEWAY_ERROR = -32000;

    private final JsonNode id;

    /** @param id the JSON-RPC id of the request, or null when it is not known (yet) */
    A2aErrors(JsonNode id) {
        this.id = id;
    }

    @Override
    public void render(Exchange exchange, GatewayError error) {
        ErrorRenderer.endJson(exchange, error, Buffer.buffer(body(id, error, exchange)));
    }

    /** The error as one server-sent event, to end a stream that already began. */
    static Buffer event(JsonNode id, GatewayError error, Exchange exchange) {
        return Buffer.buffer(8 + 256).appendString("data: ").appendBytes(body(id, error, exchange)).appendString("\n\n");
    }

    static int code(GatewayError error) {
        if ("parse_error".equals(error.code())) {
            return PARSE_ERROR;
        }
        return switch (error.kind()) {
            case INVALID_REQUEST, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> INVALID_REQUEST;
            case INTERNAL -> INTERNAL_ERROR;
            case UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, RATE_LIMITED, CLIENT_CLOSED, UPSTREAM_ERROR,
                 UNAVAILABLE, UPSTREAM_TIMEOUT -> GATEWAY_ERROR;
        };
    }

    /** The rule or policy behind a 403 and the request id: what both bindings' errors carry besides the type. */
    static void writeRefusal(JsonGenerator g, GatewayError error, Exchange exchange) throws IOException {
        Decision d = exchange.decision();
        if (error.kind() == ErrorKind.FORBIDDEN && d != null && !d.allowed() && d.policy() != null) {
            g.writeStringField("policy", d.policy());
        }
        g.writeStringField("request_id", exchange.id());
    }

    static byte[] body(JsonNode id, GatewayError error, Exchange exchange) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", "2.0");
            g.writeFieldName("id");
            if (id == null) {
                g.writeNull();
            } else {
                g.writeTree(id);
            }
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", code(error));
            g.writeStringField("message", error.getMessage());
            g.writeObjectFieldStart("data");
            g.writeStringField("type", error.code());
            g.writeNumberField("status", error.status());
            writeRefusal(g, error, exchange);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
