package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Renders failures on the LLM listener in OpenAI's error shape:
 * {@code {"error":{"message":"...","type":"...","code":"...","param":null}}}.
 */
public final class OpenAiErrors implements ErrorRenderer {
    public static final OpenAiErrors INSTANCE = new OpenAiErrors();
    private static final JsonFactory JSON = Json.factory();

    private OpenAiErrors() {
    }

    @Override
    public void render(Exchange exchange, GatewayError error) {
        ErrorRenderer.endJson(exchange, error, body(error.getMessage(), type(error.kind()), error.code(), error.param()));
    }

    /** OpenAI's {@code error.type} for each kind of failure. */
    public static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, PAYLOAD_TOO_LARGE, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> "invalid_request_error";
            case UNAUTHENTICATED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMITED -> "rate_limit_exceeded";
            case UPSTREAM_ERROR, UPSTREAM_TIMEOUT -> "upstream_error";
            case INTERNAL, UNAVAILABLE, CLIENT_CLOSED -> "server_error";
        };
    }

    public static Buffer body(String message, String type, String code, String param) {
        return Buffer.buffer(json(message, type, code, param));
    }

    /** The error object as JSON text, for a body or an SSE {@code data:} line. */
    public static String json(String message, String type, String code, String param) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type);
            g.writeStringField("code", code);
            g.writeStringField("param", param);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
