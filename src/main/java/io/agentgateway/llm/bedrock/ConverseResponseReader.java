package io.agentgateway.llm.bedrock;

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
 * A complete Converse answer ({@code output.message}) as an OpenAI {@code chat.completion}: text
 * blocks joined into {@code content}, {@code toolUse} blocks as {@code tool_calls},
 * {@code reasoningContent} as {@code reasoning_content}, the stop reason as a finish reason and
 * the usage. Converse answers carry no id and no model: the id is the caller's, the model the one
 * the client asked for. Stateless.
 */
final class ConverseResponseReader {
    private static final JsonFactory JSON = Json.factory();

    private ConverseResponseReader() {
    }

    static TranslatedResponse read(Buffer body, String id, String model, long created) {
        JsonNode answer = Json.objectOrNull(body);
        if (answer == null) {
            throw BedrockErrors.notJson(body);
        }
        StringBuilder text = null;
        StringBuilder reasoning = null;
        List<JsonNode> toolUses = new ArrayList<>(0);
        for (JsonNode block : answer.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text = append(text, block.path("text").asText());
            } else if (block.has("toolUse")) {
                toolUses.add(block.get("toolUse"));
            } else if (block.path("reasoningContent").has("reasoningText")) {
                reasoning = append(reasoning, block.path("reasoningContent").path("reasoningText").path("text").asText());
            }
        }
        Usage usage = ConverseUsage.of(answer.get("usage"));
        Buffer out = Buffer.buffer(256 + (text == null ? 0 : text.length()));
        try (JsonGenerator g = JSON.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
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
                g.writeArrayFieldStart("tool_calls");
                for (JsonNode use : toolUses) {
                    OpenAiChunks.writeToolCall(g, use.path("toolUseId").asText(), use.path("name").asText(), use.get("input"));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", ConverseUsage.finishReason(answer.path("stopReason").asText(null)));
            g.writeEndObject();
            g.writeEndArray();
            if (usage != null) {
                OpenAiChunks.writeUsage(g, usage);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TranslatedResponse(out, usage == null ? Usage.NONE : usage, null);
    }

    private static StringBuilder append(StringBuilder to, String text) {
        return to == null ? new StringBuilder(text) : to.append(text);
    }
}
