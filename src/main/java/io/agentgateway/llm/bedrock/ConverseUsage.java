package io.agentgateway.llm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;

/**
 * Bedrock's {@code usage} object as the gateway's {@link Usage}. Converse counts cache reads and
 * writes apart from {@code inputTokens}; OpenAI's prompt includes them, so the prompt is the sum
 * and the cached tokens are the reads. Null when {@code usage} is absent or not an object.
 */
final class ConverseUsage {
    private ConverseUsage() {
    }

    static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cacheRead = usage.path("cacheReadInputTokens").asLong(0);
        long prompt = usage.path("inputTokens").asLong(0) + cacheRead + usage.path("cacheWriteInputTokens").asLong(0);
        long output = usage.path("outputTokens").asLong(0);
        return new Usage(prompt, output, prompt + output, cacheRead, false);
    }

    /** OpenAI's finish reason for Converse's stop reason; {@code stop} when it gave none. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence
        };
    }
}
