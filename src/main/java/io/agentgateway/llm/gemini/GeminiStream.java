package io.agentgateway.llm.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.openai.OpenAiChunks;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * A {@code streamGenerateContent?alt=sse} answer as an OpenAI chunk stream. Each event is a
 * {@code GenerateContentResponse} holding the next parts of the first candidate: text as
 * {@code content} deltas (thought parts as {@code reasoning_content}), each {@code functionCall}
 * (Gemini sends them whole) as a tool call with its arguments in one delta, the finish reason as
 * the finish chunk; {@code usageMetadata} is cumulative, the last one counts. Gemini sends no
 * end marker: the stream has finished once a finish reason came, and {@code [DONE]} (after the
 * usage chunk, when asked for) is added at its end. An {@code error} object becomes an OpenAI
 * error event. Not thread-safe: one per stream.
 */
final class GeminiStream implements StreamTranslator {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ChatRequest request;
    private final OpenAiChunks chunks;
    private final String fallbackId;
    private boolean identified;
    private boolean started;
    private boolean finished;
    private int toolCalls;
    private Usage usage;
    private String model;
    private long deliveredChars;

    GeminiStream(ChatRequest request, String fallbackId, long created) {
        this.request = request;
        this.fallbackId = fallbackId;
        this.chunks = new OpenAiChunks(created, request.clientWantsStreamUsage());
    }

    @Override
    public void onEvent(SseEvent event, Buffer out) {
        if (event.data().isEmpty()) {
            return;
        }
        JsonNode e;
        try {
            e = Json.MAPPER.readTree(event.data());
        } catch (IOException ex) {
            return;
        }
        if (e != null && e.isArray() && !e.isEmpty()) {
            e = e.get(0);
        }
        if (e == null || !e.isObject()) {
            return;
        }
        if (e.has("error")) {
            OpenAiChunks.error(out, GeminiErrors.json(500, Buffer.buffer(event.data())));
            return;
        }
        if (!identified) {
            identified = true;
            model = e.path("modelVersion").isTextual() ? e.get("modelVersion").asText() : null;
            chunks.identify(e.path("responseId").isTextual() ? e.get("responseId").asText() : fallbackId,
                    model != null ? model : request.model());
        }
        Usage reported = GeminiAnswer.usage(e.get("usageMetadata"));
        if (reported != null) {
            usage = reported;
        }
        JsonNode candidate = e.path("candidates").path(0);
        if (!started) {
            started = true;
            chunks.role(out);
        }
        for (JsonNode part : candidate.path("content").path("parts")) {
            JsonNode call = part.get("functionCall");
            if (call != null) {
                int index = toolCalls++;
                String name = call.path("name").asText("");
                String arguments;
                try {
                    arguments = call.has("args") ? Json.MAPPER.writeValueAsString(call.get("args")) : "{}";
                } catch (JsonProcessingException ex) {
                    arguments = "{}";
                }
                deliveredChars += name.length() + arguments.length();
                chunks.toolCallStart(out, index, call.path("id").isTextual() ? call.get("id").asText() : fallbackId + "_call_" + index, name);
                chunks.toolCallArguments(out, index, arguments);
            } else if (part.path("text").isTextual() && !part.get("text").asText().isEmpty()) {
                String text = part.get("text").asText();
                deliveredChars += text.length();
                chunks.text(out, part.path("thought").asBoolean(false) ? "reasoning_content" : "content", text);
            }
        }
        String finish = GeminiAnswer.finishReason(candidate.path("finishReason").asText(null), toolCalls > 0);
        if (finish != null && !finished) {
            finished = true;
            chunks.finish(out, finish);
        }
    }

    @Override
    public void onEnd(Buffer out) {
        if (request.clientWantsStreamUsage() && usage != null) {
            chunks.usage(out, usage);
        }
        out.appendBuffer(DONE);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        if (usage != null && finished) {
            return usage;
        }
        long input = usage != null ? usage.inputTokens() : request.estimatePromptTokens();
        long output = (deliveredChars + 3) / 4;
        return new Usage(input, output, input + output, 0, true);
    }

    @Override
    public String responseModel() {
        return model;
    }
}
