package io.agentgateway.mcp;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
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
 * requests unrelated to a call), relayed as SSE. The upstream streams are the session's, held by
 * {@link ServerStreams} (opened now if this replica does not hold them yet); this flow attaches
 * the client to them, and receives first what waited for it. For {@code /mcp} the streams of every
 * server of the session are merged (servers that offer none are skipped). The exchange lasts as
 * long as the client's stream, or until the session ends; a comment every 30 s keeps idle
 * connections open through proxies. Events keep the ids their servers gave them (on {@code /mcp}
 * an id naming every server's position), and a GET with {@code Last-Event-ID} resumes the
 * servers' streams from there ({@link ServerStreams#resume}).
 */
final class ListenFlow implements ExchangeFlow {
    private static final long KEEPALIVE_MS = 30_000;
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
        ex.fact(Facts.Mcp.METHOD, "stream");
        ex.fact(Facts.Mcp.SERVER, route);
        ex.request().resume();
        String accept = ex.request().getHeader("accept");
        if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            return Future.failedFuture(new GatewayError(ErrorKind.INVALID_REQUEST, 406, "not_acceptable",
                    "Not Acceptable: the server stream is text/event-stream; send Accept: text/event-stream", null, null));
        }
        Calls.checkVersion(ex.request());
        sessionId = ex.request().getHeader(Calls.SESSION_HEADER);
        return Calls.sharedSession(mcp, ex, route).map(s -> {
            session = s;
            return null;
        });
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        HttpServerResponse response = ex.response();
        StreamRelay.Client client = StreamRelay.client(response);
        ServerStreams streams = mcp.streams();
        Promise<Void> done = Promise.promise();
        String lastEventId = ex.request().getHeader("Last-Event-ID");
        java.util.function.Function<String, Upstream.Call> calls = s -> Calls.streamCall(context, ex, session, s, sessionId);
        Future<ServerStreams.Opened> opening = lastEventId == null
                ? streams.open(mcp, sessionId, session, calls, Deadlines.of(context.vertx()))
                : streams.resume(mcp, sessionId, session, calls, Deadlines.of(context.vertx()), lastEventId);
        opening.onComplete(ar -> {
            ServerStreams.Opened opened = ar.result();
            if (opened == ServerStreams.Opened.SESSION_GONE) {
                done.tryFail(Calls.sessionNotFound());
                return;
            }
            if (opened == ServerStreams.Opened.UNSUPPORTED) {
                Throwable why = streams.refusal(sessionId);
                done.tryFail(why instanceof GatewayError g ? g : new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                        "Method Not Allowed: " + (why == null ? "no server offers a stream" : why.getMessage()), null, null)
                        .header("Allow", "POST, DELETE"));
                return;
            }
            ex.markFirstByte();
            ex.status(200);
            response.setStatusCode(200).setChunked(true).putHeader("content-type", "text/event-stream")
                    .putHeader("cache-control", "no-cache");
            response.write(": stream open\n\n");
            Deadlines.Deadline keepalive = Deadlines.of(context.vertx()).every(KEEPALIVE_MS, () -> client.write(KEEPALIVE));
            Runnable[] detach = new Runnable[1];
            Runnable finish = () -> {
                keepalive.cancel();
                if (detach[0] != null) {
                    detach[0].run();
                }
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
                done.tryComplete();
            };
            // The client's stream lasts until the client closes it or the session's streams close.
            detach[0] = streams.attachStream(sessionId, e -> {
                if (response.ended() || response.closed()) {
                    return false;
                }
                client.write(HttpSink.event(e.message(), e.id()));
                return true;
            }, finish);
            response.closeHandler(v -> finish.run());
            if (response.closed()) {
                finish.run();
            }
        });
        return done.future().andThen(ar -> Calls.endSpans(spans, ex, ar.cause()));
    }

    @Override
    public ErrorRenderer errors() {
        return McpErrors.TRANSPORT_ONLY;
    }
}
