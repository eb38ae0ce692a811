package io.agentgateway.a2a;

import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.upstream.StreamRelay;
import io.agentgateway.upstream.UpstreamFailures;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The A2A side of an agent's event stream ({@code message/stream}, {@code tasks/resubscribe}, and
 * their HTTP+JSON forms),
 * over the shared {@link StreamRelay}: each event goes to the caller byte for byte as the agent
 * sent it, and is read for the task id, context id and state ({@link RpcResult}).
 *
 * <p>The stream ends cleanly in every case: after the agent's last event; with an error event of
 * the call's binding when the agent breaks off, goes silent for {@code a2a.stream_timeout}, or ends before the
 * task reached a final state; and by resetting the agent's stream when the caller goes away.
 * While the caller's stream is quiet, SSE comment lines ({@code : keep-alive}, which clients
 * ignore) keep its connection from being closed as idle (listener {@code idle_timeout}) before the
 * stream timeout; they are timed by the loop's {@link Deadlines} sweep, not a timer per stream. An
 * agent slow to even start its answer gets the same protection: the caller's stream may be
 * {@link #open opened} before the agent's answer arrives, and an answer that then turns out not to
 * be a stream is passed on as one event.
 *
 * <p>Confined to the request's event loop.
 */
final class TaskStream implements StreamRelay.Events {
    private static final Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

    private final Exchange exchange;
    private final Binding binding;
    private final AgentEndpoint agent;
    private final Duration streamTimeout;
    private final Consumer<RpcResult> onResult;
    private final Promise<Void> done;
    private final Deadlines deadlines;
    private final long keepAliveMillis;
    private final StreamRelay.Client client;
    private StreamRelay relay;
    private Deadlines.Deadline keepAlive;
    private boolean complete;

    /** @param keepAliveMillis how long the caller's stream may stay quiet before a keep-alive (0: never) */
    TaskStream(Exchange exchange, Binding binding, AgentEndpoint agent, Duration streamTimeout, Consumer<RpcResult> onResult,
               Promise<Void> done, Deadlines deadlines, long keepAliveMillis) {
        this.exchange = exchange;
        this.binding = binding;
        this.agent = agent;
        this.streamTimeout = streamTimeout;
        this.onResult = onResult;
        this.done = done;
        this.deadlines = deadlines;
        this.keepAliveMillis = keepAliveMillis;
        this.client = StreamRelay.client(exchange.response());
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
            keepAlive = deadlines.every(keepAliveMillis, () -> {
                if (!response.ended() && !response.closed()) {
                    response.write(KEEP_ALIVE);
                }
            });
        }
    }

    /**
     * Relays the agent's event stream to the end.
     *
     * @param deadline the call's deadline ({@code a2a.stream_timeout}), touched on every chunk
     */
    void attach(HttpClientResponse upstream, Deadlines.Deadline deadline) {
        open(upstream);
        relay = StreamRelay.start(upstream, client, deadline, this);
    }

    /** Whether the agent's stream is being relayed. */
    boolean attached() {
        return relay != null;
    }

    /** The call's deadline fired while streaming: told first, then the agent's stream is reset. */
    void timedOut() {
        relay.timedOut(new TimeoutException("no event for " + streamTimeout));
    }

    /**
     * The agent answered the open stream with one whole answer instead (typically an error): it
     * becomes the stream's one event, its bytes unchanged.
     */
    void relayWhole(Buffer json) {
        RpcResult result = binding.scan(json);
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

    /** Ends the caller's stream with an error event of the call's binding. */
    void fail(GatewayError error) {
        if (done.future().isComplete()) {
            return;
        }
        write(binding.errorEvent(error, exchange));
        finish(error);
    }

    @Override
    public void onEvent(SseEvent event) {
        if (!event.data().isEmpty()) {
            RpcResult result = binding.scan(event.data());
            onResult.accept(result);
            complete |= result.endsStream();
        }
        write(event.raw());
    }

    private void write(Buffer bytes) {
        if (client.write(bytes) && keepAlive != null) {
            keepAlive.touch();
        }
    }

    @Override
    public void onEnd() {
        if (complete) {
            finish(null);
            return;
        }
        fail(UpstreamFailures.incomplete("agent " + agent.id() + " ended the event stream before the task reached a final state"));
    }

    @Override
    public void onFailure(Throwable cause) {
        fail(agent.streamFailure(cause, streamTimeout));
    }

    private void finish(GatewayError error) {
        stop();
        client.end(done, error);
    }

    /** Stops the keep-alives and the relay (the stream ended, or the caller went away). */
    void stop() {
        if (keepAlive != null) {
            keepAlive.cancel();
        }
        if (relay != null) {
            relay.cancel();
        }
    }
}
