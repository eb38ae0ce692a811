package io.agentgateway.mcp;

import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/**
 * {@code GET /sse/SERVER}: a legacy (2024-11-05) HTTP+SSE client's event stream. Its first event
 * names the endpoint to POST messages to ({@code /sse/SERVER/message?sessionId=...}); answers to
 * those messages arrive here. The session is bound to the caller and to this replica, and ends
 * when the stream closes.
 */
final class LegacyStreamFlow implements ExchangeFlow {
    private static final long KEEPALIVE_MS = 30_000;

    private final McpRuntime mcp;
    private final String server;

    LegacyStreamFlow(McpRuntime mcp, String server) {
        this.mcp = mcp;
        this.server = server;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        ex.action("stream");
        ex.fact(Facts.Mcp.METHOD, "stream");
        ex.fact(Facts.Mcp.SERVER, server);
        ex.request().resume();
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        HttpServerResponse response = ex.response();
        String principal = McpSession.principalKey(Calls.principal(ex));
        LegacySessions.Session s = mcp.legacy().open(server, principal, response,
                mcp.newSession(principal, server, "2024-11-05", Map.of()));
        ex.markFirstByte();
        ex.status(200);
        response.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache");
        response.write("event: endpoint\ndata: /sse/" + server + "/message?sessionId=" + s.id + "\n\n");
        Promise<Void> done = Promise.promise();
        Deadlines.Deadline keepalive = ex.request().connection() == null ? null
                : Deadlines.of(io.vertx.core.Vertx.currentContext()).every(KEEPALIVE_MS, () -> {
                    if (!response.ended() && !response.closed()) {
                        response.write(": keepalive\n\n");
                    }
                });
        response.closeHandler(v -> {
            if (keepalive != null) {
                keepalive.cancel();
            }
            mcp.legacy().close(s.id);
            done.tryComplete();
        });
        return done.future();
    }

    @Override
    public ErrorRenderer errors() {
        return McpErrors.TRANSPORT_ONLY;
    }
}
