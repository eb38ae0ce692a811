package io.agentgateway.llm;

import io.agentgateway.core.Usage;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

/**
 * Turns one upstream event stream into the client's OpenAI chunk stream, event by event, and
 * keeps count of usage. Not thread-safe: one per stream, on its event loop.
 */
public interface StreamTranslator {
    /**
     * A translator whose client receives each upstream event byte for byte or not at all: a
     * pass-through, whose stream is relayed as the bytes that arrived ({@link io.agentgateway.upstream.RelayedBytes}).
     */
    interface Forwarding extends StreamTranslator {
        /** Reads what the event says; whether the client receives it as it came (false: left out). */
        boolean forward(SseEvent event);

        @Override
        default void onEvent(SseEvent event, Buffer out) {
            if (forward(event)) {
                out.appendBuffer(event.raw());
            }
        }
    }

    /** Appends to {@code out} what the client should receive for this upstream event (maybe nothing). */
    void onEvent(SseEvent event, Buffer out);

    /**
     * The upstream stream ended normally; appends any closing bytes (the final {@code [DONE]}).
     * Only called when {@link #finished()} is true.
     */
    void onEnd(Buffer out);

    /** True once the upstream has signalled a proper end (finish reason, {@code [DONE]}, {@code message_stop}). */
    boolean finished();

    /** The usage the upstream reported, or, when it reported none (a stream cut short), an estimate of what was delivered. */
    Usage usage();

    /** The model the upstream said it used, when it said. */
    String responseModel();

    /**
     * Appends the event that tells the client its stream failed: OpenAI's error chunk
     * ({@code data: {"error":{...}}}) unless the client speaks another API.
     */
    default void onError(GatewayError error, Buffer out) {
        out.appendString("data: " + OpenAiErrors.json(error.getMessage(), OpenAiErrors.type(error.kind()), error.code(), null) + "\n\n");
    }
}
