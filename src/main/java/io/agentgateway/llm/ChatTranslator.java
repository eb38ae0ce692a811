package io.agentgateway.llm;

import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Converts between the client's format (OpenAI chat completions) and one provider's wire format.
 * One implementation per provider pair, named for it ({@code OpenAiToAnthropic}); each
 * {@link ProviderDialect} names its own. A translator builds its output from its input and never
 * changes the input: not the request's parsed tree, not its bytes, not an upstream body.
 *
 * <p>Stateless and thread-safe; per-stream state lives in the {@link StreamTranslator} it makes.
 */
public interface ChatTranslator {
    /**
     * The upstream request body for {@code request} sent to {@code upstreamModel}: the request's
     * own bytes when nothing needs to change, else a new body (the request is left as it was).
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

    /** The content type of the provider's streamed answers; a 2xx of another type is read as a whole answer. */
    default String streamContentType() {
        return "text/event-stream";
    }

    /** Cuts the provider's streamed answer into the events its {@link StreamTranslator} reads (SSE unless said otherwise). */
    default EventDecoder streamDecoder(Consumer<SseEvent> sink) {
        return new SseDecoder(sink);
    }

    /** An upstream error body as an OpenAI error body (the status is kept by the caller). */
    Buffer error(int status, Buffer upstreamBody);
}
