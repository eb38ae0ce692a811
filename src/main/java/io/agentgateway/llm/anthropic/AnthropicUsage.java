package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;

import java.io.IOException;

/**
 * Token counts as Anthropic reports them, gathered from one {@code usage} object (a complete
 * message) or several (a stream: {@code message_start}, then cumulative figures in
 * {@code message_delta}), and rendered as OpenAI's {@code usage} object.
 *
 * <p>Anthropic counts cache reads and cache writes apart from {@code input_tokens}; OpenAI's
 * {@code prompt_tokens} includes cached tokens, so the prompt is the sum of all three and
 * {@code cached_tokens} is the cache reads.
 *
 * <p>Not thread-safe: one per response or stream.
 */
final class AnthropicUsage {
    private long input;
    private long cacheRead;
    private long cacheCreation;
    private long output;
    private boolean sawInput;
    private boolean sawOutput;

    /** Takes every count present in {@code usage}; a later report of a count replaces an earlier one. */
    void merge(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        JsonNode n = usage.get("input_tokens");
        if (n != null && n.canConvertToLong()) {
            input = n.asLong();
            sawInput = true;
        }
        n = usage.get("cache_read_input_tokens");
        if (n != null && n.canConvertToLong()) {
            cacheRead = n.asLong();
        }
        n = usage.get("cache_creation_input_tokens");
        if (n != null && n.canConvertToLong()) {
            cacheCreation = n.asLong();
        }
        n = usage.get("output_tokens");
        if (n != null && n.canConvertToLong()) {
            output = n.asLong();
            sawOutput = true;
        }
    }

    boolean sawInput() {
        return sawInput;
    }

    boolean sawOutput() {
        return sawOutput;
    }

    /** Everything the prompt cost, cached or not. */
    long promptTokens() {
        return input + cacheRead + cacheCreation;
    }

    long cachedTokens() {
        return cacheRead;
    }

    Usage toUsage() {
        long prompt = promptTokens();
        return new Usage(prompt, output, prompt + output, cacheRead, false);
    }

    /** Writes OpenAI's {@code "usage": {...}} field. */
    void writeField(JsonGenerator g) throws IOException {
        long prompt = promptTokens();
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", prompt);
        g.writeNumberField("completion_tokens", output);
        g.writeNumberField("total_tokens", prompt + output);
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", cacheRead);
        g.writeEndObject();
        g.writeEndObject();
    }
}
