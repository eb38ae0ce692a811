package io.agentgateway.llm.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;

/**
 * What Gemini's answers have in common, whole or streamed: the usage ({@code usageMetadata}) and
 * the finish reason. The prompt count already includes cached tokens; thinking tokens are output
 * the caller pays for, so they count as completion. Stateless.
 */
final class GeminiAnswer {
    private GeminiAnswer() {
    }

    /** The usage in {@code usageMetadata}, or null when there is none. */
    static Usage usage(JsonNode metadata) {
        if (metadata == null || !metadata.isObject() || !metadata.has("promptTokenCount")) {
            return null;
        }
        long prompt = metadata.path("promptTokenCount").asLong(0) + metadata.path("toolUsePromptTokenCount").asLong(0);
        long output = metadata.path("candidatesTokenCount").asLong(0) + metadata.path("thoughtsTokenCount").asLong(0);
        return new Usage(prompt, output, prompt + output, metadata.path("cachedContentTokenCount").asLong(0), false);
    }

    /** OpenAI's finish reason for Gemini's; null when Gemini gave none (the answer goes on). */
    static String finishReason(String reason, boolean calledFunctions) {
        if (reason == null || reason.isEmpty() || reason.equals("FINISH_REASON_UNSPECIFIED")) {
            return null;
        }
        return switch (reason) {
            case "STOP" -> calledFunctions ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL" -> "tool_calls";
            default -> "stop";
        };
    }
}
