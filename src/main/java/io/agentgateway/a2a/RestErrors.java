package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Failures on the A2A HTTP+JSON binding as that binding writes errors (A2A 1.0, the
 * {@code google.rpc.Status} shape of AIP-193), with the failure's HTTP status:
 * <pre>{"error":{"code":403,"status":"PERMISSION_DENIED","message":"...",
 *   "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"PERMISSION_DENIED",
 *     "domain":"agentgateway.io","metadata":{"type":"permission_denied","policy":"...","request_id":"..."}}]}}</pre>
 * The {@code ErrorInfo} domain is the gateway's, never {@code a2a-protocol.org}, so no client
 * mistakes a refusal of the gateway for an A2A error of the agent; {@code metadata.type} is the
 * same error type the JSON-RPC binding reports in {@code error.data.type}. After an event stream
 * began, the same object goes out as an {@code event: error} event.
 */
final class RestErrors implements ErrorRenderer {
    static final RestErrors INSTANCE = new RestErrors();
    static final String DOMAIN = "agentgateway.io";

    private RestErrors() {
    }

    @Override
    public void render(Exchange exchange, GatewayError error) {
        ErrorRenderer.endJson(exchange, error, Buffer.buffer(body(error, exchange)));
    }

    /** The error as one server-sent event, to end a stream that already began. */
    static Buffer event(GatewayError error, Exchange exchange) {
        return Buffer.buffer(32 + 256).appendString("event: error\ndata: ").appendBytes(body(error, exchange))
                .appendString("\n\n");
    }

    /** The {@code google.rpc.Code} name for an HTTP status, as AIP-193 pairs them. */
    static String status(GatewayError error) {
        return switch (error.status()) {
            case 400, 405, 413, 415 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            case 500 -> "INTERNAL";
            default -> error.kind() == ErrorKind.UPSTREAM_ERROR ? "UNAVAILABLE" : "UNKNOWN";
        };
    }

    static byte[] body(GatewayError error, Exchange exchange) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("code", error.status());
            g.writeStringField("status", status(error));
            g.writeStringField("message", error.getMessage());
            g.writeArrayFieldStart("details");
            g.writeStartObject();
            g.writeStringField("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            g.writeStringField("reason", error.code().toUpperCase(Locale.ROOT));
            g.writeStringField("domain", DOMAIN);
            g.writeObjectFieldStart("metadata");
            g.writeStringField("type", error.code());
            A2aErrors.writeRefusal(g, error, exchange);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
