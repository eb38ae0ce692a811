package io.agentgateway.mcp;

import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Future;

/** Answers a legacy SSE client on its event stream; its POST was already acknowledged with 202. */
final class LegacySink implements Sink {
    private final LegacySessions.Session session;

    LegacySink(LegacySessions.Session session) {
        this.session = session;
    }

    @Override
    public void related(Message m) {
        session.send(m);
    }

    @Override
    public boolean offer(Message m) {
        session.send(m);
        return true;
    }

    @Override
    public Future<Void> respond(Message m) {
        session.send(m);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> accepted() {
        return Future.succeededFuture();
    }

    @Override
    public boolean started() {
        return true;
    }

    /**
     * The legacy event stream, when this POST runs on the stream's loop (it then holds the
     * server back like a Streamable HTTP client's stream); null from another loop.
     */
    @Override
    public StreamRelay.Client client() {
        return session.client();
    }
}
