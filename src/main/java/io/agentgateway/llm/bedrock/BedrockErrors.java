package io.agentgateway.llm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.llm.OpenAiErrors;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Bedrock's errors in OpenAI's shape. Bedrock answers an error with its HTTP status and
 * {@code {"message": "..."}} (the exception's name travels in a header); mid-stream it sends an
 * exception message ({@code throttlingException}, {@code modelStreamErrorException}...). The
 * OpenAI type follows the status or the exception, the code is the exception name (or
 * {@code bedrock_<status>}). Stateless.
 */
final class BedrockErrors {
    private BedrockErrors() {
    }

    static Buffer body(int status, Buffer upstreamBody) {
        String message = message(upstreamBody);
        return OpenAiErrors.body(message, type(status), "bedrock_" + status, null);
    }

    /** An exception from the middle of a ConverseStream, as an OpenAI error object. */
    static String streamError(String exception, String payload) {
        String message = message(Buffer.buffer(payload));
        String type = switch (exception) {
            case "throttlingException" -> "rate_limit_exceeded";
            case "validationException" -> "invalid_request_error";
            default -> "upstream_error"; // internalServerException, modelStreamErrorException, serviceUnavailableException
        };
        return OpenAiErrors.json(message, type, exception, null);
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

    private static String message(Buffer body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body.getBytes());
            if (node != null && node.isObject()) {
                JsonNode m = node.has("message") ? node.get("message") : node.get("Message");
                if (m != null && m.isTextual()) {
                    return "Bedrock: " + m.asText();
                }
            }
        } catch (IOException e) {
            // described below
        }
        String text = body.length() > 200 ? body.getString(0, 200, "UTF-8") + "..." : body.toString(StandardCharsets.UTF_8);
        return "Bedrock answered: " + text.replaceAll("\\s+", " ").trim();
    }

    static GatewayError notJson(Buffer body) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                "the provider returned a response that is not valid JSON (" + body.length() + " bytes)", null, null);
    }
}
