package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.llm.openai.BufferOutputStream;
import io.agentgateway.llm.openai.OpenAiChunks;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete Anthropic message as an OpenAI {@code chat.completion}: text blocks joined into
 * {@code content}, {@code tool_use} blocks as {@code tool_calls} (input re-serialised as the
 * arguments string), {@code thinking} blocks as {@code reasoning_content}, the stop reason as a
 * finish reason and the usage with cache reads and writes counted in the prompt. Blocks OpenAI
 * has no place for (server tool results, redacted thinking) are left out. Stateless.
 */
final class AnthropicResponseReader {
    private static final JsonFactory JSON = Json.factory();

    private AnthropicResponseReader() {
    }

    static TranslatedResponse read(Buffer body, long created) {
        JsonNode message = Json.objectOrNull(body);
        if (message == null) {
            throw AnthropicErrors.notJson(body);
        }
        StringBuilder text = null;
        StringBuilder reasoning = null;
        List<JsonNode> toolUses = new ArrayList<>(0);
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text = append(text, block.path("text").asText());
                case "thinking" -> reasoning = append(reasoning, block.path("thinking").asText());
                case "tool_use" -> toolUses.add(block);
                default -> {
                    // server tool blocks, redacted thinking: nothing an OpenAI client can use
                }
            }
        }
        AnthropicUsage usage = new AnthropicUsage();
        usage.merge(message.get("usage"));
        boolean hasUsage = usage.sawInput() || usage.sawOutput();
        String model = message.path("model").isTextual() ? message.get("model").asText() : null;
        Buffer out = Buffer.buffer(256 + (text == null ? 0 : text.length()));
        try (JsonGenerator g = JSON.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("id", message.path("id").asText(""));
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model == null ? "" : model);
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", text == null ? null : text.toString());
            if (reasoning != null) {
                g.writeStringField("reasoning_content", reasoning.toString());
            }
            if (!toolUses.isEmpty()) {
                writeToolCalls(g, toolUses);
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", finishReason(message.path("stop_reason").asText(null)));
            g.writeEndObject();
            g.writeEndArray();
            if (hasUsage) {
                usage.writeField(g);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TranslatedResponse(out, hasUsage ? usage.toUsage() : Usage.NONE, model);
    }

    private static void writeToolCalls(JsonGenerator g, List<JsonNode> toolUses) throws IOException {
        g.writeArrayFieldStart("tool_calls");
        for (JsonNode use : toolUses) {
            OpenAiChunks.writeToolCall(g, use.path("id").asText(), use.path("name").asText(), use.get("input"));
        }
        g.writeEndArray();
    }

    private static StringBuilder append(StringBuilder to, String text) {
        return to == null ? new StringBuilder(text) : to.append(text);
    }

    /** OpenAI's finish reason for Anthropic's stop reason; {@code stop} when it gave none. */
    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }
}
