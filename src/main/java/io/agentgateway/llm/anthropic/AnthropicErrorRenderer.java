package io.agentgateway.llm.anthropic;

import io.agentgateway.llm.openai.BufferOutputStream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Renders failures on the Anthropic paths of the LLM listener ({@code /v1/messages...}) in
 * Anthropic's error shape, so Anthropic clients raise their own typed errors:
 * {@code {"type":"error","error":{"type":"rate_limit_error","message":"..."},"request_id":"..."}}.
 * Status and headers ({@code Retry-After}, the budget headers) are the error's. Stateless.
 */
public final class AnthropicErrorRenderer implements ErrorRenderer {
    public static final AnthropicErrorRenderer INSTANCE = new AnthropicErrorRenderer();
    private static final JsonFactory JSON = Json.factory();

    private AnthropicErrorRenderer() {
    }

    @Override
    public void render(Exchange exchange, GatewayError error) {
        exchange.response().putHeader("request-id", exchange.id());
        ErrorRenderer.endJson(exchange, error, body(type(error.kind()), error.getMessage(), exchange.id()));
    }

    /** Anthropic's {@code error.type} for each kind of failure. */
    static String type(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE -> "invalid_request_error";
            case PAYLOAD_TOO_LARGE -> "request_too_large";
            case UNAUTHENTICATED -> "authentication_error";
            case FORBIDDEN -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMITED -> "rate_limit_error";
            case UPSTREAM_TIMEOUT -> "timeout_error";
            case UNAVAILABLE -> "overloaded_error";
            case UPSTREAM_ERROR, INTERNAL, CLIENT_CLOSED -> "api_error";
        };
    }

    /** Anthropic's {@code error.type} for an HTTP status an upstream answered with. */
    static String type(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
    }

    /** Anthropic's {@code error.type} for OpenAI's. */
    static String typeOfOpenAi(String openAiType) {
        return switch (openAiType) {
            case "invalid_request_error" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            case "not_found_error" -> "not_found_error";
            case "rate_limit_exceeded", "rate_limit_error", "tokens", "requests" -> "rate_limit_error";
            default -> "api_error";
        };
    }

    /** @param requestId the gateway's request id, or null to leave it out */
    static Buffer body(String type, String message, String requestId) {
        Buffer out = Buffer.buffer(96 + message.length());
        try (JsonGenerator g = JSON.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeObjectFieldStart("error");
            g.writeStringField("type", type);
            g.writeStringField("message", message);
            g.writeEndObject();
            if (requestId != null) {
                g.writeStringField("request_id", requestId);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
