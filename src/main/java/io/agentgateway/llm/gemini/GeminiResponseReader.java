package io.agentgateway.llm.gemini;

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

/**
 * A complete {@code GenerateContentResponse} as an OpenAI {@code chat.completion}: one choice per
 * candidate, text parts joined into {@code content} (thought parts into
 * {@code reasoning_content}), {@code functionCall} parts as {@code tool_calls} (ids made up:
 * Gemini gives none), the finish reason and the usage. The id is Gemini's {@code responseId}, the
 * model its {@code modelVersion}. Stateless.
 */
final class GeminiResponseReader {
    private static final JsonFactory JSON = Json.factory();

    private GeminiResponseReader() {
    }

    static TranslatedResponse read(Buffer body, String fallbackId, String requestedModel, long created) {
        JsonNode answer = Json.objectOrNull(body);
        if (answer == null) {
            throw GeminiErrors.notJson(body);
        }
        Usage usage = GeminiAnswer.usage(answer.get("usageMetadata"));
        String model = answer.path("modelVersion").isTextual() ? answer.get("modelVersion").asText() : null;
        String id = answer.path("responseId").isTextual() ? answer.get("responseId").asText() : fallbackId;
        Buffer out = Buffer.buffer(512);
        try (JsonGenerator g = JSON.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model != null ? model : requestedModel);
            g.writeArrayFieldStart("choices");
            int index = 0;
            for (JsonNode candidate : answer.path("candidates")) {
                writeChoice(g, candidate, candidate.path("index").asInt(index), id);
                index++;
            }
            g.writeEndArray();
            if (usage != null) {
                OpenAiChunks.writeUsage(g, usage);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TranslatedResponse(out, usage == null ? Usage.NONE : usage, model);
    }

    private static void writeChoice(JsonGenerator g, JsonNode candidate, int index, String id) throws IOException {
        StringBuilder text = null;
        StringBuilder reasoning = null;
        int calls = 0;
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                calls++;
            } else if (part.path("text").isTextual()) {
                if (part.path("thought").asBoolean(false)) {
                    reasoning = reasoning == null ? new StringBuilder(part.get("text").asText()) : reasoning.append(part.get("text").asText());
                } else {
                    text = text == null ? new StringBuilder(part.get("text").asText()) : text.append(part.get("text").asText());
                }
            }
        }
        g.writeStartObject();
        g.writeNumberField("index", index);
        g.writeObjectFieldStart("message");
        g.writeStringField("role", "assistant");
        g.writeStringField("content", text == null ? null : text.toString());
        if (reasoning != null) {
            g.writeStringField("reasoning_content", reasoning.toString());
        }
        if (calls > 0) {
            g.writeArrayFieldStart("tool_calls");
            int call = 0;
            for (JsonNode part : candidate.path("content").path("parts")) {
                JsonNode fc = part.get("functionCall");
                if (fc == null) {
                    continue;
                }
                String callId = fc.path("id").isTextual() ? fc.get("id").asText() : "call_" + id + "_" + index + "_" + call;
                OpenAiChunks.writeToolCall(g, callId, fc.path("name").asText(), fc.get("args"));
                call++;
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeNullField("logprobs");
        String finish = GeminiAnswer.finishReason(candidate.path("finishReason").asText(null), calls > 0);
        g.writeStringField("finish_reason", finish == null ? "stop" : finish);
        g.writeEndObject();
    }
}
