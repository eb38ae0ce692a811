package io.agentgateway.runtime;

import io.agentgateway.config.ListenerConfig;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.ProtocolHandler;
import io.vertx.core.http.HttpServerRequest;

/** Answers 501 on a listener whose protocol this build does not serve yet. */
final class UnavailableProtocol implements ProtocolHandler {
    private final ListenerConfig.Protocol protocol;

    UnavailableProtocol(ListenerConfig.Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public void handle(HttpServerRequest request, ListenerContext context) {
        request.response().setStatusCode(501).putHeader("content-type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32601,\"message\":\"the "
                        + protocol + " listener is not available in this build\"}}");
    }
}
