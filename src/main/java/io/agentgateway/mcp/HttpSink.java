package io.agentgateway.mcp;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a Streamable HTTP POST: as one JSON object when the server's answer is all there is,
 * as an SSE stream (flushed event by event) as soon as the server sends something first and the
 * client accepts {@code text/event-stream}. Confined to the request's event loop.
 */
final class HttpSink implements Sink {
    // Header values built once, in the form Vert.x writes without checking or encoding them again.
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final Exchange ex;
    private final boolean acceptsSse;
    private final boolean acceptsJson;
    private final StreamRelay.Client client;
    private boolean streaming;

    HttpSink(Exchange ex) {
        this.ex = ex;
        String accept = ex.request().getHeader("accept");
        this.acceptsSse = accept != null && (accept.contains("text/event-stream") || accept.contains("*/*"));
        this.acceptsJson = accept == null || accept.contains("application/json") || accept.contains("*/*") || !acceptsSse;
        this.client = StreamRelay.client(ex.response());
    }

    @Override
    public StreamRelay.Client client() {
        return client;
    }

    @Override
    public void related(Message m) {
        offer(m);
    }

    @Override
    public boolean offer(Message m) {
        HttpServerResponse r = ex.response();
        if (!acceptsSse || r.ended() || r.closed()) {
            return false;
        }
        begin();
        client.write(event(m));
        return true;
    }

    private void begin() {
        if (streaming) {
            return;
        }
        streaming = true;
        ex.markFirstByte();
        ex.status(200);
        ex.response().setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
    }

    @Override
    public Future<Void> respond(Message m) {
        HttpServerResponse r = ex.response();
        if (r.closed()) {
            return Future.failedFuture(closed());
        }
        if (!streaming && acceptsJson) {
            ex.markFirstByte();
            ex.status(200);
            return r.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(m.bytes())
                    .recover(e -> Future.failedFuture(closed()));
        }
        begin();
        return r.end(event(m)).recover(e -> Future.failedFuture(closed()));
    }

    @Override
    public Future<Void> accepted() {
        ex.markFirstByte();
        ex.status(202);
        return ex.response().setStatusCode(202).end().recover(e -> Future.failedFuture(closed()));
    }

    @Override
    public boolean started() {
        return streaming || ex.response().headWritten();
    }

    /** One SSE event: {@code data} must be one line, so a message that arrived pretty-printed is re-written compact. */
    static Buffer event(Message m) {
        return event(m, null);
    }

    /** {@link #event(Message)} with an {@code id:} line first when {@code id} is not null. */
    static Buffer event(Message m, String id) {
        Buffer data = m.bytes();
        for (int i = 0; i < data.length(); i++) {
            byte b = data.getByte(i);
            if (b == '\n' || b == '\r') {
                data = Message.write(m.json());
                break;
            }
        }
        Buffer out = Buffer.buffer(data.length() + 24 + (id == null ? 0 : id.length() + 5));
        if (id != null) {
            out.appendString("id: ").appendString(id).appendString("\n");
        }
        return out.appendString("event: message\ndata: ").appendBuffer(data).appendString("\n\n");
    }

    static GatewayError closed() {
        return new GatewayError(ErrorKind.CLIENT_CLOSED, 499, "client_closed", "the client closed the connection", null, null);
    }
}
