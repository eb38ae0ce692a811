package io.agentgateway.llm.gemini;

import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OpenAI chat-completions clients to Gemini's {@code generateContent} and
 * {@code streamGenerateContent?alt=sse} (the Gemini API's and Vertex AI's, which share the body)
 * and back: see {@link GeminiRequestWriter}, {@link GeminiResponseReader}, {@link GeminiStream}
 * and {@link GeminiErrors}. Answers without a {@code responseId} get an id from {@code ids}; the
 * {@code created} time comes from the clock.
 *
 * <p>Immutable and thread-safe; per-stream state lives in the {@link StreamTranslator} it makes.
 */
public final class OpenAiToGemini implements ChatTranslator {
    public static final OpenAiToGemini INSTANCE = new OpenAiToGemini(Clock.systemUTC(),
            () -> "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));

    private final Clock clock;
    private final Supplier<String> ids;

    public OpenAiToGemini(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * {@inheritDoc}
     *
     * @throws GatewayError 400 naming the parameter for what Gemini cannot take
     *         ({@code functions}, non-function tools, {@code n > 1} on a stream)
     */
    @Override
    public Buffer requestBody(ChatRequest request, String upstreamModel) {
        if (request.stream() && request.json().path("n").asInt(1) > 1) {
            throw GatewayError.invalid("'n' must be 1 for a streamed answer from this model", "n");
        }
        return Json.write(GeminiRequestWriter.write(request));
    }

    @Override
    public TranslatedResponse response(ChatRequest request, Buffer upstreamBody) {
        return GeminiResponseReader.read(upstreamBody, ids.get(), request.model(), now());
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new GeminiStream(request, ids.get(), now());
    }

    @Override
    public Buffer error(int status, Buffer upstreamBody) {
        return GeminiErrors.body(status, upstreamBody);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
