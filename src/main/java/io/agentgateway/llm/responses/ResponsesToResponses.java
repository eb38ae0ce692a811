package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.DeltaText;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Responses API clients to providers that serve the Responses API themselves (OpenAI, Azure
 * OpenAI): the answer and every stream event pass through byte for byte; the gateway only reads
 * the usage ({@code usage.input_tokens}, {@code output_tokens}, {@code input_tokens_details.cached_tokens})
 * from the response object, or from the {@code response.completed}, {@code response.incomplete}
 * or {@code response.failed} event of a stream. Stateless; streams get their own state.
 */
public final class ResponsesToResponses {
    private ResponsesToResponses() {
    }

    /** A complete answer as it is, with its usage and model. */
    public static TranslatedResponse response(Buffer upstreamBody) {
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(upstreamBody.getBytes());
        } catch (IOException e) {
            response = null;
        }
        if (response == null || !response.isObject()) {
            throw new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                    "the provider returned a response that is not valid JSON (" + upstreamBody.length() + " bytes)", null, null);
        }
        return new TranslatedResponse(upstreamBody, usage(response.get("usage")), text(response.get("model")));
    }

    /**
     * Per-stream state for a streamed answer.
     *
     * @param promptEstimate the gateway's count of the prompt, charged when the stream is cut before its usage came
     */
    public static StreamTranslator stream(long promptEstimate) {
        return new PassThrough(promptEstimate);
    }

    /** Responses' usage object as the gateway's; {@link Usage#NONE} when absent. */
    static Usage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return Usage.NONE;
        }
        long input = usage.path("input_tokens").asLong(0);
        long output = usage.path("output_tokens").asLong(0);
        long total = usage.path("total_tokens").asLong(input + output);
        return new Usage(input, output, total, usage.path("input_tokens_details").path("cached_tokens").asLong(0), false);
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static final class PassThrough implements StreamTranslator {
        private final long promptEstimate;
        private Usage usage;
        private String model;
        private boolean finished;
        private long deltaChars;

        PassThrough(long promptEstimate) {
            this.promptEstimate = promptEstimate;
        }

        @Override
        public void onEvent(SseEvent event, Buffer out) {
            out.appendBuffer(event.raw());
            String type = event.event();
            if (type != null && type.endsWith(".delta")) {
                // Only counted for an estimate, should the stream be cut before its usage comes.
                deltaChars += DeltaText.length(event.data(), "delta", "delta");
                return;
            }
            if (type != null && !type.startsWith("response.") || event.data().isEmpty()) {
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
                case "response.created", "response.in_progress" -> model = text(e.path("response").get("model"));
                case "response.completed", "response.incomplete", "response.failed" -> {
                    finished = true;
                    JsonNode response = e.path("response");
                    model = text(response.get("model")) == null ? model : text(response.get("model"));
                    if (response.path("usage").isObject()) {
                        usage = ResponsesToResponses.usage(response.get("usage"));
                    }
                }
                case "response.output_text.delta", "response.function_call_arguments.delta" ->
                        deltaChars += e.path("delta").asText("").length();
                default -> {
                    // the other events carry nothing the gateway accounts
                }
            }
        }

        @Override
        public void onEnd(Buffer out) {
            // Responses streams end after their final event; there is no [DONE] to add.
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public Usage usage() {
            if (usage != null) {
                return usage;
            }
            long output = (deltaChars + 3) / 4;
            return new Usage(promptEstimate, output, promptEstimate + output, 0, true);
        }

        @Override
        public String responseModel() {
            return model;
        }

        @Override
        public void onError(GatewayError error, Buffer out) {
            out.appendString("event: error\ndata: ").appendBuffer(Json.write(Json.MAPPER.createObjectNode()
                    .put("type", "error").put("code", error.code()).put("message", error.getMessage()).putNull("param")))
                    .appendString("\n\n");
        }
    }
}
