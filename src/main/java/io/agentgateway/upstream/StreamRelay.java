package io.agentgateway.upstream;

import io.agentgateway.server.GatewayError;
import io.agentgateway.server.SseEvent;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Relays one upstream event stream as it arrives, the one relay under LLM, MCP and A2A: the
 * upstream's bytes are split into events ({@link SseDecoder}) and handed to the protocol's
 * {@link Events}, which decides what the client gets (translated chunks, the agent's bytes
 * unchanged, JSON-RPC messages). Backpressure flows both ways: after each upstream chunk, a client
 * whose write queue is full pauses the upstream until it drains, so a slow reader holds its
 * upstream back instead of the gateway buffering for it. The call's deadline is touched on every
 * chunk and held while the client is the one holding things up.
 *
 * <p>Exactly one of {@link Events#onEnd()} and {@link Events#onFailure} is told, and neither after
 * {@link #cancel()}. Confined to the event loop of the client's request.
 */
public final class StreamRelay {
    /** The protocol's part of a relay. Called on the relay's event loop. */
    public interface Events {
        /** One complete event from the upstream. */
        void onEvent(SseEvent event);

        /**
         * A block of only comment lines ({@code : ping}), raw bytes with its blank line: a
         * keep-alive. Ignored unless the protocol relays it.
         */
        default void onComment(Buffer raw) {
        }

        /** The events of one upstream chunk have all been told: a place to write what was batched. */
        default void afterChunk() {
        }

        /** The upstream ended its stream (every event, the last one unterminated included, was told). */
        void onEnd();

        /** The upstream broke off; {@code cause} is a {@link TimeoutException} when the call's deadline fired. */
        void onFailure(Throwable cause);
    }

    /**
     * The client side of one or more relays: the stream the client reads and the upstreams waiting
     * for it to drain. Several upstreams may feed one client (an MCP call fanned out over servers);
     * one drain resumes them all.
     */
    public static final class Client {
        private final WriteStream<Buffer> stream;
        private final List<ReadStream<Buffer>> paused = new ArrayList<>(1);
        private final List<Deadlines.Deadline> held = new ArrayList<>(1);

        private Client(WriteStream<Buffer> stream) {
            this.stream = stream;
        }

        /** Writes to the client unless its response is over; false when nothing was written. */
        public boolean write(Buffer bytes) {
            if (bytes.length() == 0 || stream instanceof HttpServerResponse r && (r.closed() || r.ended())) {
                return false;
            }
            stream.write(bytes);
            return true;
        }

        /**
         * Ends the client's stream (unless it is over already) and completes {@code done}: with
         * {@code error} when the relay ended in one (told in-band before), else successfully.
         */
        public void end(Promise<Void> done, GatewayError error) {
            if (stream instanceof HttpServerResponse r) {
                if (!r.ended() && !r.closed()) {
                    r.end();
                }
            } else {
                stream.end();
            }
            if (error == null) {
                done.tryComplete();
            } else {
                done.tryFail(error);
            }
        }

        /** Pauses {@code upstream} while the client's write queue is full. */
        void holdBack(ReadStream<Buffer> upstream, Deadlines.Deadline deadline) {
            if (!stream.writeQueueFull() || paused.contains(upstream)) {
                return;
            }
            upstream.pause();
            paused.add(upstream);
            if (deadline != null) {
                deadline.hold();
                held.add(deadline);
            }
            if (paused.size() == 1) {
                stream.drainHandler(v -> drained());
            }
        }

        private void drained() {
            stream.drainHandler(null);
            for (Deadlines.Deadline d : held) {
                d.resume();
            }
            held.clear();
            List<ReadStream<Buffer>> resume = new ArrayList<>(paused);
            paused.clear();
            for (ReadStream<Buffer> upstream : resume) {
                upstream.resume();
            }
        }
    }

    private final HttpClientResponse upstream;
    private final Client client;
    private final Deadlines.Deadline deadline;
    private final Events events;
    private final EventDecoder decoder;
    private boolean over;

    private StreamRelay(HttpClientResponse upstream, Client client, Deadlines.Deadline deadline, Events events,
                        Function<Consumer<SseEvent>, EventDecoder> framing) {
        this.upstream = upstream;
        this.client = client;
        this.deadline = deadline;
        this.events = events;
        this.decoder = framing.apply(events::onEvent);
    }

    /** The client side for a response (or any write stream) a relay writes to. */
    public static Client client(WriteStream<Buffer> stream) {
        return new Client(stream);
    }

    /**
     * Starts relaying {@code upstream} (resumed here if paused).
     *
     * @param client   who reads what the events write, whose backpressure holds the upstream back;
     *                 null when the events go nowhere a slow reader could hold up
     * @param deadline the call's deadline, touched on every chunk; null when the protocol keeps
     *                 its own time (an MCP answer's wait restarts only on progress)
     */
    public static StreamRelay start(HttpClientResponse upstream, Client client, Deadlines.Deadline deadline, Events events) {
        return start(upstream, client, deadline, events, sink -> new SseDecoder(sink, events::onComment));
    }

    /** As {@link #start(HttpClientResponse, Client, Deadlines.Deadline, Events)}, for a stream framed other than as SSE. */
    public static StreamRelay start(HttpClientResponse upstream, Client client, Deadlines.Deadline deadline, Events events,
                                    Function<Consumer<SseEvent>, EventDecoder> framing) {
        StreamRelay relay = new StreamRelay(upstream, client, deadline, events, framing);
        upstream.handler(relay::onChunk);
        upstream.endHandler(v -> relay.onEnd());
        upstream.exceptionHandler(relay::onFailure);
        upstream.resume();
        return relay;
    }

    private void onChunk(Buffer chunk) {
        if (over) {
            return;
        }
        if (deadline != null) {
            deadline.touch();
        }
        decoder.feed(chunk);
        events.afterChunk();
        if (client != null && !over) {
            client.holdBack(upstream, deadline);
        }
    }

    private void onEnd() {
        if (over) {
            return;
        }
        decoder.end();
        over = true;
        stopClock();
        events.onEnd();
    }

    private void onFailure(Throwable cause) {
        if (over) {
            return;
        }
        over = true;
        boolean timedOut = deadline != null && deadline.expired();
        stopClock();
        events.onFailure(timedOut ? new TimeoutException("no data for the upstream's timeout") : cause);
    }

    /**
     * The call's time ran out while streaming: the failure is told first, then the upstream's
     * stream is reset (its reset is then ignored).
     */
    public void timedOut(TimeoutException cause) {
        if (over) {
            return;
        }
        over = true;
        stopClock();
        events.onFailure(cause);
        upstream.request().reset();
    }

    /** The client went away: stop reading and reset the upstream's stream; no event is told after this. */
    public void cancel() {
        if (over) {
            return;
        }
        over = true;
        stopClock();
        upstream.request().reset();
    }

    private void stopClock() {
        if (deadline != null) {
            deadline.cancel();
        }
    }
}
