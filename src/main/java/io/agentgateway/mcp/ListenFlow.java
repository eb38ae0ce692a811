package io.agentgateway.mcp;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /mcp/SERVER} and {@code GET /mcp}: the server's own message stream (notifications,
 * requests unrelated to a call), relayed as SSE. For {@code /mcp} the streams of every server of
 * the session are merged (servers that offer none are skipped). The exchange lasts as long as the
 * stream; a comment every 30 s keeps idle connections open through proxies.
 */
final class ListenFlow implements ExchangeFlow {
    private static final long KEEPALIVE_MS = 30_000;
    private static final long OPEN_WAIT_MS = 1_000;
    private static final Buffer KEEPALIVE = Buffer.buffer(": keepalive\n\n");

    private final McpRuntime mcp;
    private final ListenerContext context;
    private final String route;
    private McpSession session;
    private String sessionId;
    private final List<io.agentgateway.server.ExchangeTracer.UpstreamSpan> spans = new ArrayList<>();

    ListenFlow(McpRuntime mcp, ListenerContext context, String route) {
        this.mcp = mcp;
        this.context = context;
        this.route = route;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        ex.action("stream");
        ex.attribute("mcp.method.name", "stream");
        ex.attribute("mcp.server", route);
        ex.request().resume();
        String accept = ex.request().getHeader("accept");
        if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            return Future.failedFuture(new GatewayError(ErrorKind.INVALID_REQUEST, 406, "not_acceptable",
                    "Not Acceptable: the server stream is text/event-stream; send Accept: text/event-stream", null, null));
        }
        Calls.checkVersion(ex.request());
        session = Calls.session(mcp, ex, route);
        sessionId = ex.request().getHeader(Calls.SESSION_HEADER);
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        List<String> servers = new ArrayList<>(session.upstreams().keySet());
        HttpServerResponse response = ex.response();
        // One client for every server's stream: a slow reader holds them all back, one drain resumes them.
        StreamRelay.Client client = StreamRelay.client(response);
        Deadlines deadlines = Deadlines.of(context.vertx());
        List<Future<Upstream.Listening>> all = new ArrayList<>();
        for (String s : servers) {
            Upstream.Call call = Calls.call(context, ex, session, s, sessionId, spans, client);
            boolean federated = McpSession.FEDERATED.equals(route);
            all.add(mcp.server(s).listen(call, m -> client.write(HttpSink.event(federated ? Federation.federate(s, m) : m))));
        }
        Promise<Void> done = Promise.promise();
        // Some servers send no headers until their first event: wait for the upstreams only a
        // moment before opening the client's stream; those that answer later are attached then.
        Promise<Void> decided = Promise.promise();
        Deadlines.Deadline wait = deadlines.watch(OPEN_WAIT_MS, decided::tryComplete);
        Future.join(all).onComplete(ar -> decided.tryComplete());
        decided.future().onComplete(ignored -> {
            wait.cancel();
            boolean anyPending = all.stream().anyMatch(f -> !f.isComplete());
            boolean anyOpen = all.stream().anyMatch(Future::succeeded);
            if (!anyOpen && !anyPending) {
                Throwable first = all.isEmpty() ? null : all.get(0).cause();
                if (first instanceof Upstream.SessionGone) {
                    done.tryFail(Calls.sessionNotFound());
                } else {
                    done.tryFail(new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                            "Method Not Allowed: " + (first == null ? "no server offers a stream" : first.getMessage()), null, null)
                            .header("Allow", "POST, DELETE"));
                }
                return;
            }
            ex.markFirstByte();
            ex.status(200);
            response.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream")
                    .putHeader("cache-control", "no-cache");
            response.write(": stream open\n\n");
            Deadlines.Deadline keepalive = deadlines.every(KEEPALIVE_MS, () -> client.write(KEEPALIVE));
            Runnable finish = () -> {
                keepalive.cancel();
                all.forEach(f -> f.onSuccess(Upstream.Listening::close));
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
                done.tryComplete();
            };
            response.closeHandler(v -> finish.run());
            // The stream ends when every upstream stream has ended (or never opened).
            Future.join(all.stream().map(f -> f.compose(Upstream.Listening::ended)).toList()).onComplete(v -> finish.run());
        });
        return done.future().andThen(ar -> Calls.endSpans(spans, ex, ar.cause()));
    }

    @Override
    public ErrorRenderer errors() {
        return McpErrors.TRANSPORT_ONLY;
    }
}
