package io.agentgateway.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.llm.OpenAiErrors;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Google's errors ({@code {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}},
 * sometimes inside a one-element array) in OpenAI's shape: the type follows the status, the code
 * is Google's status name. Stateless.
 */
final class GeminiErrors {
    private GeminiErrors() {
    }

    static Buffer body(int status, Buffer upstreamBody) {
        return Buffer.buffer(json(status, upstreamBody));
    }

    static String json(int status, Buffer upstreamBody) {
        try {
            JsonNode node = Json.MAPPER.readTree(upstreamBody.getBytes());
            if (node != null && node.isArray() && !node.isEmpty()) {
                node = node.get(0);
            }
            JsonNode error = node == null ? null : node.get("error");
            if (error != null && error.isObject()) {
                int code = error.path("code").asInt(status);
                return OpenAiErrors.json("Google: " + error.path("message").asText(""), type(code),
                        error.path("status").asText("google_" + code), null);
            }
        } catch (IOException e) {
            // described below
        }
        String text = upstreamBody.length() > 200 ? upstreamBody.getString(0, 200, "UTF-8") + "..."
                : upstreamBody.toString(StandardCharsets.UTF_8);
        return OpenAiErrors.json("Google answered HTTP " + status + ": " + text.replaceAll("\\s+", " ").trim(), type(status),
                "google_" + status, null);
    }

    private static String type(int status) {
        return switch (status) {
            case 400, 413, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_exceeded";
            default -> "upstream_error";
        };
    }

    static GatewayError notJson(Buffer body) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                "the provider returned a response that is not valid JSON (" + body.length() + " bytes)", null, null);
    }
}
