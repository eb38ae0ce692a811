package io.agentgateway.llm;

import io.vertx.core.buffer.Buffer;

/**
 * Converts between the client's format (OpenAI chat completions) and one provider's wire format.
 * One implementation per provider pair, named for it ({@code OpenAiToAnthropic}); chosen by a
 * plain switch on the provider type in {@link Provider}.
 *
 * <p>Stateless and thread-safe; per-stream state lives in the {@link StreamTranslator} it makes.
 */
public interface ChatTranslator {
    /**
     * The upstream request body for {@code request} sent to {@code upstreamModel}. May set
     * {@code model} and {@code stream_options} on the request's tree in place (each attempt of a
     * fallback chain sets them anew); must not otherwise change it.
     */
    Buffer requestBody(ChatRequest request, String upstreamModel);

    /**
     * A complete (non-streamed) upstream answer as the client's body, with its usage.
     *
     * @throws io.agentgateway.server.GatewayError 502 when the upstream body cannot be read
     */
    TranslatedResponse response(ChatRequest request, Buffer upstreamBody);

    /** Per-stream state for a streamed answer. */
    StreamTranslator stream(ChatRequest request);

    /** An upstream error body as an OpenAI error body (the status is kept by the caller). */
    Buffer error(int status, Buffer upstreamBody);
}
