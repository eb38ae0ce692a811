package io.agentgateway.mcp;

import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.ListenerContext;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code DELETE /mcp/SERVER} and {@code DELETE /mcp}: ends the session and every upstream session
 * behind it (best effort: an upstream that cannot be told keeps its session until it expires),
 * and remembers the id as ended on this replica, so it answers 404 from then on.
 */
final class DeleteFlow implements ExchangeFlow {
    private final McpRuntime mcp;
    private final ListenerContext context;
    private final String route;
    private McpSession session;
    private String sessionId;
    private final List<io.agentgateway.server.ExchangeTracer.UpstreamSpan> spans = new ArrayList<>();

    DeleteFlow(McpRuntime mcp, ListenerContext context, String route) {
        this.mcp = mcp;
        this.context = context;
        this.route = route;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        ex.action("session.delete");
        ex.fact(Facts.Mcp.METHOD, "session.delete");
        ex.fact(Facts.Mcp.SERVER, route);
        ex.request().resume();
        sessionId = ex.request().getHeader(Calls.SESSION_HEADER);
        return Calls.sharedSession(mcp, ex, route).map(s -> {
            session = s;
            return null;
        });
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        mcp.sessions().end(sessionId, java.time.Instant.ofEpochSecond(session.expiresAt()));
        mcp.streams().end(sessionId);
        SharedSessionEnds shared = mcp.sharedEnds();
        // Every replica refuses the session from now on; it expires on its own after its lifetime.
        Future<Void> recorded = shared == null ? Future.succeededFuture()
                : shared.end(sessionId, session.expiresAt() * 1000 - mcp.clock().millis()).recover(e -> Future.succeededFuture());
        List<Future<Void>> all = new ArrayList<>();
        for (String s : session.upstreams().keySet()) {
            all.add(mcp.server(s).terminate(Calls.call(context, ex, session, s, sessionId, spans, null)));
        }
        all.add(recorded);
        return Future.join(all).transform(ar -> {
            ex.markFirstByte();
            ex.status(204);
            Calls.endSpans(spans, ex, null);
            return ex.response().setStatusCode(204).end();
        });
    }

    @Override
    public ErrorRenderer errors() {
        return McpErrors.TRANSPORT_ONLY;
    }
}
