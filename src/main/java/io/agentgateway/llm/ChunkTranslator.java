package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.server.GatewayError;
import io.vertx.core.buffer.Buffer;

/**
 * Turns a stream of OpenAI {@code chat.completion.chunk}s (whatever provider they were translated
 * from) into another client API's event stream: the second half of a translated stream, driven by
 * {@link ChatChunkBridge}. Not thread-safe: one per stream.
 */
public interface ChunkTranslator {
    /** One chunk (choices with deltas, or the usage chunk with empty choices). */
    void chunk(ObjectNode chunk, Buffer out);

    /** An OpenAI error object the upstream stream carried ({@code data: {"error":{...}}}). */
    void error(JsonNode error, Buffer out);

    /** The chat stream ended properly ({@code [DONE]}); {@code usage} is the whole call's. */
    void done(Usage usage, String responseModel, Buffer out);

    /** The stream failed (cut, timed out): the client's error event. */
    void failed(GatewayError error, Buffer out);
}
