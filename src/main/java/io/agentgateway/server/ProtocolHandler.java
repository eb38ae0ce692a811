package io.agentgateway.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * Serves the requests of one listener kind (LLM, MCP, A2A). Compiled with the runtime and
 * replaced with it on reload. Called on the connection's event loop; must not block.
 */
@FunctionalInterface
public interface ProtocolHandler {
    void handle(HttpServerRequest request, ListenerContext context);
}
