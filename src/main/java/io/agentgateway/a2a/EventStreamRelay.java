package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.SseDecoder;
import io.agentgateway.server.SseEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Relays an agent's event stream ({@code message/stream}, {@code tasks/resubscribe}) to the caller
 * event by event, each written (and so flushed) as soon as it is complete, byte for byte as the
 * agent sent it. Each event is also read for the task id, context id and state
 * ({@link RpcResult}). Backpressure flows both ways: a slow caller pauses the agent.
 *
 * <p>The stream ends cleanly in every case: after the agent's last event; with a JSON-RPC error
 * event when the agent breaks off, goes silent for {@code a2a.stream_timeout}, or ends before the
 * task reached a final state; and by resetting the agent's stream when the caller goes away.
 * While the agent is silent, SSE comment lines ({@code : keep-alive}, which clients ignore) keep
 * the caller's connection from being closed as idle (listener {@code idle_timeout}) before the
 * stream timeout. An agent slow to even start its answer gets the same protection: the caller's
 * stream may be {@link #open opened} before the agent's answer arrives, and an answer that then
 * turns out not to be a stream is passed on as one event.
 *
 * <p>Confined to the request's event loop.
 */
final class EventStreamRelay {
    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

    private final Exchange exchange;
    private final RpcRequest rpc;
    private final String agent;
    private final Duration streamTimeout;
    private final Consumer<RpcResult> onResult;
    private final Promise<Void> done;
    private final Vertx vertx;
    private final long keepAliveMillis;
    private final SseDecoder decoder;
    private HttpClientResponse upstream;
    private long keepAliveTimer = -1;
    private long silenceTimer = -1;
    private long lastChunkNanos;
    private boolean wrote;
    private boolean complete;

    /** @param keepAliveMillis how often to check for silence towards the caller (0: never) */
    EventStreamRelay(Exchange exchange, RpcRequest rpc, String agent, Duration streamTimeout, Consumer<RpcResult> onResult,
                     Promise<Void> done, Vertx vertx, long keepAliveMillis) {
        this.exchange = exchange;
        this.rpc = rpc;
        this.agent = agent;
        this.streamTimeout = streamTimeout;
        this.onResult = onResult;
        this.done = done;
        this.vertx = vertx;
        this.keepAliveMillis = keepAliveMillis;
        this.decoder = new SseDecoder(this::onEvent);
    }

    /** Whether the caller's stream has begun (its response head is sent). */
    boolean isOpen() {
        return exchange.response().headWritten();
    }

    /**
     * Sends the caller the head of an event stream and starts the keep-alives.
     *
     * @param from the agent's answer whose headers to pass on, or null when opening before it arrived
     */
    void open(HttpClientResponse from) {
        HttpServerResponse response = exchange.response();
        if (response.headWritten() || response.closed()) {
            return;
        }
        String type = from == null ? null : from.getHeader("content-type");
        response.setStatusCode(from == null ? 200 : from.statusCode())
                .setChunked(true)
                .putHeader("content-type", type != null ? type : "text/event-stream")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        if (from != null) {
            A2aHeaders.toCaller(from, response);
        }
        exchange.markFirstByte();
        response.writeHead();
        if (keepAliveMillis > 0) {
            keepAliveTimer = vertx.setPeriodic(keepAliveMillis, id -> {
                if (!wrote && !response.ended() && !response.closed()) {
                    response.write(KEEP_ALIVE);
                }
                wrote = false;
            });
        }
    }

    /** Relays the agent's event stream to the end. */
    void attach(HttpClientResponse upstream) {
        this.upstream = upstream;
        open(upstream);
        lastChunkNanos = System.nanoTime();
        armSilenceTimer(streamTimeout.toMillis());
        upstream.handler(chunk -> {
            lastChunkNanos = System.nanoTime();
            decoder.feed(chunk);
        });
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.exceptionHandler(this::onUpstreamFailure);
        upstream.resume();
    }

    /**
     * The agent answered the open stream with one JSON-RPC response instead (typically an
     * error): it becomes the stream's one event, its bytes unchanged.
     */
    void relayWhole(Buffer json) {
        RpcResult result = RpcResult.scan(json.getBytes());
        onResult.accept(result);
        Buffer event = Buffer.buffer(json.length() + 16);
        int lineStart = 0;
        for (int i = 0; i <= json.length(); i++) {
            if (i == json.length() || json.getByte(i) == '\n') {
                int end = i > lineStart && json.getByte(i - 1) == '\r' ? i - 1 : i;
                if (end > lineStart || i < json.length()) {
                    event.appendString("data: ").appendBuffer(json.getBuffer(lineStart, end)).appendString("\n");
                }
                lineStart = i + 1;
            }
        }
        write(event.appendString("\n"));
        finish(null);
    }

    /** Ends the caller's stream with a JSON-RPC error event. */
    void fail(GatewayError error) {
        if (done.future().isComplete()) {
            return;
        }
        write(A2aErrors.event(rpc.id(), error, exchange));
        finish(error);
    }

    /**
     * One timer per stream, not one per chunk: when it fires it re-arms for what is left of the
     * timeout since the last chunk, and gives up only after a full {@code stream_timeout} of silence.
     */
    private void armSilenceTimer(long delayMillis) {
        silenceTimer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            silenceTimer = -1;
            if (done.future().isComplete()) {
                return;
            }
            long silentMillis = (System.nanoTime() - lastChunkNanos) / 1_000_000;
            long left = streamTimeout.toMillis() - silentMillis;
            if (left > 0) {
                armSilenceTimer(left);
                return;
            }
            // Report first: the reset below makes the client report a reset, which is then ignored.
            onUpstreamFailure(new TimeoutException("no event for " + streamTimeout));
            upstream.request().reset();
        });
    }

    private void onEvent(SseEvent event) {
        if (!event.data().isEmpty()) {
            RpcResult result = RpcResult.scan(event.data());
            onResult.accept(result);
            complete |= result.endsStream();
        }
        write(event.raw());
    }

    private void write(Buffer bytes) {
        HttpServerResponse response = exchange.response();
        if (bytes.length() == 0 || response.closed() || response.ended()) {
            return;
        }
        wrote = true;
        response.write(bytes);
        if (upstream != null && response.writeQueueFull()) {
            upstream.pause();
            response.drainHandler(v -> upstream.resume());
        }
    }

    private void onUpstreamEnd() {
        decoder.end();
        if (complete) {
            finish(null);
            return;
        }
        fail(new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_stream_incomplete",
                "agent " + agent + " ended the event stream before the task reached a final state", null, null));
    }

    private void onUpstreamFailure(Throwable cause) {
        fail(AgentFailures.midStream(agent, cause, streamTimeout));
    }

    private void finish(GatewayError error) {
        stopTimers();
        HttpServerResponse response = exchange.response();
        if (!response.ended() && !response.closed()) {
            response.end();
        }
        if (error == null) {
            done.tryComplete();
        } else {
            done.tryFail(error);
        }
    }

    /** Stops the keep-alives and the silence timer (the stream ended, or the caller went away). */
    void stopTimers() {
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
            keepAliveTimer = -1;
        }
        if (silenceTimer >= 0) {
            vertx.cancelTimer(silenceTimer);
            silenceTimer = -1;
        }
    }
}
