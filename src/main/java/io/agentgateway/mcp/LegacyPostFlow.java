package io.agentgateway.mcp;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.ListenerContext;
import io.vertx.core.Future;

/**
 * {@code POST /sse/SERVER/message?sessionId=...}: a legacy client's message. The session must be
 * open on this replica, for this server, and opened by the same caller (else 404); then it is a
 * {@link PostFlow} whose answers go on the session's event stream.
 */
final class LegacyPostFlow implements ExchangeFlow {
    private final LegacySessions.Session session;
    private final String server;
    private final PostFlow inner;

    LegacyPostFlow(McpRuntime mcp, GovernanceChain chain, ListenerContext context, String server, LegacySessions.Session session) {
        this.session = session;
        this.server = server;
        this.inner = session == null ? null : new PostFlow(mcp, chain.policies(), context, server, session);
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        if (session == null || !session.server.equals(server)
                || !session.principal.equals(McpSession.principalKey(Calls.principal(ex)))) {
            ex.action("invalid");
            return Future.failedFuture(new GatewayError(ErrorKind.NOT_FOUND, 404, "session_not_found",
                    "Session not found: no open SSE session with this sessionId for you; open GET /sse/" + server, null, null));
        }
        return inner.classify(ex);
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        return inner.forward(ex);
    }

    @Override
    public ErrorRenderer errors() {
        return inner == null ? McpErrors.TRANSPORT_ONLY : inner.errors();
    }
}
