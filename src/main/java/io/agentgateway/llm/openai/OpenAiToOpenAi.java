package io.agentgateway.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.OpenAiErrors;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.JsonSplice;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * OpenAI clients to OpenAI-wire upstreams (OpenAI, Azure OpenAI, Ollama, vLLM, Gemini's
 * OpenAI endpoint, the mock): bytes pass through unchanged except the model name when routing
 * renamed it, and {@code stream_options.include_usage} added to streams so usage is always
 * reported, both spliced into the client's bytes ({@link JsonSplice}) so the rest arrives exactly
 * as sent; the extra usage chunk that causes is removed from what such a client receives.
 */
public final class OpenAiToOpenAi implements ChatTranslator {
    public static final OpenAiToOpenAi INSTANCE = new OpenAiToOpenAi();
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private OpenAiToOpenAi() {
    }

    @Override
    public Buffer requestBody(ChatRequest request, String upstreamModel) {
        JsonSplice splice = JsonSplice.of(request.raw());
        if (!upstreamModel.equals(request.model())) {
            splice.put("model", JsonSplice.string(upstreamModel));
        }
        if (request.stream() && !request.clientWantsStreamUsage()) {
            splice.putIn("stream_options", "include_usage", "true");
        }
        return splice.apply();
    }

    @Override
    public TranslatedResponse response(ChatRequest request, Buffer upstreamBody) {
        return passThrough(upstreamBody);
    }

    /** A complete OpenAI-wire answer passed through as is, with its usage read on the way. */
    public static TranslatedResponse passThrough(Buffer upstreamBody) {
        OpenAiChunkScanner scanner = new OpenAiChunkScanner();
        try {
            scanner.scan(upstreamBody);
        } catch (IOException e) {
            throw notJson(upstreamBody);
        }
        Usage usage = scanner.usage() == null ? Usage.NONE : scanner.usage();
        return new TranslatedResponse(upstreamBody, usage, scanner.model());
    }

    /**
     * A complete chat completion (OpenAI's shape, as a provider's chat translator gives it) as a
     * tree, for translating it on into another client API.
     *
     * @throws GatewayError 502 when the body is not a chat completion
     */
    public static JsonNode completion(Buffer chatCompletion) {
        JsonNode completion;
        try {
            completion = Json.MAPPER.readTree(chatCompletion.getBytes());
        } catch (IOException e) {
            completion = null;
        }
        if (completion == null || !completion.path("choices").isArray()) {
            throw new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                    "the provider returned a response that is not a chat completion (" + chatCompletion.length() + " bytes)", null, null);
        }
        return completion;
    }

    static GatewayError notJson(Buffer body) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_invalid_response",
                "the provider returned a response that is not valid JSON (" + body.length() + " bytes)", null, null);
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new PassThroughStream(request::estimatePromptTokens, !request.clientWantsStreamUsage());
    }

    /**
     * An OpenAI-wire stream (chat or legacy completion chunks) passed through as it came, usage
     * read on the way; the usage-only chunk is dropped when {@code stripUsageChunk} (the gateway
     * asked for it, not the client). Without reported usage, {@code promptEstimate} and the
     * delivered text make an estimate.
     */
    public static StreamTranslator passThroughStream(LongSupplier promptEstimate, boolean stripUsageChunk) {
        return new PassThroughStream(promptEstimate, stripUsageChunk);
    }

    @Override
    public Buffer error(int status, Buffer upstreamBody) {
        return errorBody(status, upstreamBody);
    }

    /** Keeps an upstream error that is already OpenAI-shaped; wraps anything else in that shape. */
    public static Buffer errorBody(int status, Buffer upstreamBody) {
        try {
            JsonNode node = Json.MAPPER.readTree(upstreamBody.getBytes());
            if (node != null && node.path("error").isObject()) {
                return upstreamBody;
            }
            if (node != null && node.path("error").isTextual()) {
                // Ollama and some OpenAI-compatible servers answer {"error": "message"}
                return OpenAiErrors.body(node.get("error").asText(), status >= 500 ? "upstream_error" : "invalid_request_error",
                        "upstream_" + status, null);
            }
        } catch (IOException e) {
            // not JSON: described below
        }
        String snippet = upstreamBody.length() > 200 ? upstreamBody.getString(0, 200, "UTF-8") + "..." : upstreamBody.toString(StandardCharsets.UTF_8);
        return OpenAiErrors.body("the provider answered HTTP " + status + ": " + snippet.replaceAll("\\s+", " ").trim(),
                status >= 500 ? "upstream_error" : "invalid_request_error", "upstream_" + status, null);
    }

    private static final class PassThroughStream implements StreamTranslator.Forwarding {
        private final LongSupplier promptEstimate;
        private final boolean stripUsageChunk;
        private final OpenAiChunkScanner scanner = new OpenAiChunkScanner();
        private boolean done;

        PassThroughStream(LongSupplier promptEstimate, boolean stripUsageChunk) {
            this.promptEstimate = promptEstimate;
            this.stripUsageChunk = stripUsageChunk;
        }

        @Override
        public boolean forward(SseEvent event) {
            if (event.isDone()) {
                done = true;
                return true;
            }
            if (event.dataIsEmpty()) {
                return true;
            }
            Usage before = scanner.usage();
            try {
                scanner.scan(event);
            } catch (IOException e) {
                // Not ours to judge: forward what the upstream sent.
                return true;
            }
            boolean usageChunk = scanner.usage() != before && scanner.choices() == 0;
            return !(usageChunk && stripUsageChunk);
        }

        @Override
        public void onEnd(Buffer out) {
            if (!done) {
                // Some OpenAI-compatible servers end after the finish reason without [DONE].
                out.appendBuffer(DONE);
            }
        }

        @Override
        public boolean finished() {
            return done || scanner.sawFinishReason();
        }

        @Override
        public Usage usage() {
            if (scanner.usage() != null) {
                return scanner.usage();
            }
            long input = promptEstimate.getAsLong();
            long output = (scanner.contentChars() + 3) / 4;
            return new Usage(input, output, input + output, 0, true);
        }

        @Override
        public String responseModel() {
            return scanner.model();
        }
    }
}
