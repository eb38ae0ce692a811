package io.agentgateway.upstream;

/**
 * Cuts an upstream's streamed body into events for a {@link StreamRelay}: server-sent events
 * ({@link SseDecoder}, the default) or a provider's own framing. Fed chunk by chunk as they
 * arrive; an event split across chunks is told once complete. Not thread-safe: one per stream.
 */
public interface EventDecoder {
    /** Takes the next chunk of the body, telling every event it completes. */
    void feed(io.vertx.core.buffer.Buffer chunk);

    /** The body ended: tells an unterminated last event when the framing allows one. */
    void end();
}
