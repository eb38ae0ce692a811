package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.DeltaText;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Anthropic Messages clients to Anthropic: the answer and every stream event pass through byte
 * for byte; the gateway only reads the usage (input, cache reads and writes, output: see
 * {@link AnthropicUsage}) from the message, or from {@code message_start} and {@code message_delta}
 * of a stream, and the model. Upstream error bodies are Anthropic's already and pass unchanged.
 * Stateless; streams get their own state.
 */
public final class AnthropicToAnthropic {
    private AnthropicToAnthropic() {
    }

    /** A complete message as it is, with its usage and model. */
    public static TranslatedResponse response(Buffer upstreamBody) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(upstreamBody.getBytes());
        } catch (IOException e) {
            throw AnthropicErrors.notJson(upstreamBody);
        }
        if (message == null || !message.isObject()) {
            throw AnthropicErrors.notJson(upstreamBody);
        }
        AnthropicUsage usage = new AnthropicUsage();
        usage.merge(message.get("usage"));
        return new TranslatedResponse(upstreamBody, usage.sawInput() || usage.sawOutput() ? usage.toUsage() : Usage.NONE,
                message.path("model").isTextual() ? message.get("model").asText() : null);
    }

    /** A {@code count_tokens} answer as it is; counting costs no tokens. */
    public static TranslatedResponse countTokens(Buffer upstreamBody) {
        return new TranslatedResponse(upstreamBody, Usage.NONE, null);
    }

    /**
     * Per-stream state for a streamed answer.
     *
     * @param promptEstimate the gateway's count of the prompt, charged when the stream is cut before {@code message_start}
     */
    public static StreamTranslator stream(long promptEstimate) {
        return new PassThrough(promptEstimate);
    }

    private static final class PassThrough implements StreamTranslator {
        private final long promptEstimate;
        private final AnthropicUsage usage = new AnthropicUsage();
        private String model;
        private boolean finalUsage;
        private boolean finished;
        private long deltaChars;

        PassThrough(long promptEstimate) {
            this.promptEstimate = promptEstimate;
        }

        @Override
        public void onEvent(SseEvent event, Buffer out) {
            out.appendBuffer(event.raw());
            String name = event.event();
            if ("content_block_delta".equals(name)) {
                // Only counted for an estimate, should the stream be cut before its usage comes.
                deltaChars += DeltaText.length(event.data(), "text", "partial_json");
                return;
            }
            if ("ping".equals(name) || "content_block_start".equals(name) || "content_block_stop".equals(name)
                    || event.data().isEmpty()) {
                return;
            }
            JsonNode e;
            try {
                e = Json.MAPPER.readTree(event.data());
            } catch (IOException ex) {
                return; // not ours to judge: forwarded as it came
            }
            if (e == null) {
                return;
            }
            switch (e.path("type").asText("")) {
                case "message_start" -> {
                    JsonNode message = e.path("message");
                    model = message.path("model").isTextual() ? message.get("model").asText() : null;
                    usage.merge(message.get("usage"));
                }
                case "message_delta" -> {
                    if (e.path("usage").isObject()) {
                        usage.merge(e.get("usage"));
                        finalUsage = true;
                    }
                }
                case "message_stop" -> finished = true;
                case "content_block_delta" -> deltaChars += e.path("delta").path("text").asText("").length()
                        + e.path("delta").path("partial_json").asText("").length();
                default -> {
                    // error events pass as they are; the stream then has not finished
                }
            }
        }

        @Override
        public void onEnd(Buffer out) {
            // Anthropic streams end with message_stop; there is nothing to add.
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public Usage usage() {
            if (finalUsage) {
                return usage.toUsage();
            }
            long input = usage.sawInput() ? usage.promptTokens() : promptEstimate;
            long output = (deltaChars + 3) / 4;
            return new Usage(input, output, input + output, usage.cachedTokens(), true);
        }

        @Override
        public String responseModel() {
            return model;
        }

        @Override
        public void onError(GatewayError error, Buffer out) {
            out.appendString("event: error\ndata: ")
                    .appendBuffer(AnthropicErrorRenderer.body(AnthropicErrorRenderer.type(error.kind()), error.getMessage(), null))
                    .appendString("\n\n");
        }
    }
}
