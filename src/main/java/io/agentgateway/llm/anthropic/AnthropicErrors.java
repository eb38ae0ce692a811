package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.llm.OpenAiErrors;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Anthropic's errors ({@code {"type":"error","error":{"type":"rate_limit_error","message":"..."}}},
 * as an HTTP body or a mid-stream {@code error} event) in OpenAI's error shape. The OpenAI
 * {@code type} is mapped from Anthropic's; the {@code code} keeps Anthropic's type, which says
 * more ({@code overloaded_error}). Stateless.
 */
final class AnthropicErrors {
    private AnthropicErrors() {
    }

    /** An upstream error body (any status) as an OpenAI error body; non-Anthropic bodies are wrapped as they are. */
    static Buffer body(int status, Buffer upstreamBody) {
        JsonNode error = null;
        try {
            JsonNode node = Json.MAPPER.readTree(upstreamBody.getBytes());
            error = node == null ? null : node.get("error");
        } catch (IOException e) {
            // not JSON: wrapped below
        }
        if (error == null || !error.isObject() || !error.path("message").isTextual()) {
            return OpenAiToOpenAi.errorBody(status, upstreamBody);
        }
        String type = error.path("type").asText("");
        return OpenAiErrors.body(error.get("message").asText(), openAiType(type, status), type.isEmpty() ? "upstream_" + status : type, null);
    }

    /** The {@code data:} payload for an Anthropic {@code error} stream event. */
    static String streamError(JsonNode event) {
        JsonNode error = event.path("error");
        String type = error.path("type").asText("");
        String message = error.path("message").asText("the provider reported an error mid-stream");
        return OpenAiErrors.json(message, openAiType(type, 0), type.isEmpty() ? "upstream_error" : type, null);
    }

    /** OpenAI's {@code error.type} for Anthropic's, falling back on the HTTP status for types Anthropic may add. */
    static String openAiType(String anthropicType, int status) {
        return switch (anthropicType) {
            case "invalid_request_error", "request_too_large" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            case "not_found_error" -> "not_found_error";
            case "rate_limit_error" -> "rate_limit_exceeded";
            case "api_error", "overloaded_error", "timeout_error" -> "upstream_error";
            default -> switch (status) {
                case 401 -> "authentication_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 429 -> "rate_limit_exceeded";
                default -> status >= 400 && status < 500 ? "invalid_request_error" : "upstream_error";
            };
        };
    }

    static GatewayError notJson(Buffer body) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                "the provider returned a response that is not valid JSON (" + body.length() + " bytes)", null, null);
    }
}
