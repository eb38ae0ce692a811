package io.agentgateway.llm;

import io.agentgateway.core.Usage;
import io.vertx.core.buffer.Buffer;

/** A complete answer in the client's format, its usage (never null) and the model the upstream reported. */
public record TranslatedResponse(Buffer body, Usage usage, String responseModel) {
}
