package io.agentgateway.mcp;

import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * One upstream MCP server as the flows use it, whatever its transport. Streamable HTTP servers
 * get one upstream session per downstream session (its id travels inside the sealed downstream
 * id); stdio and legacy SSE servers are connections the gateway initialised itself and
 * multiplexes ({@link Channel}): one per caller namespace or per session ({@link ChannelPool}), or
 * one shared by every caller.
 *
 * <p>Implementations are thread-safe. Futures complete, and {@code related}/{@code messages}
 * callbacks run, on the calling event loop's context.
 */
interface Upstream {
    String name();

    Duration timeout();

    /** Sends the client's {@code initialize}; answers the upstream's response and its session id (null: none). */
    Future<Initialized> initialize(Call call, Message initialize);

    /**
     * Sends a request. {@code related} receives what the server sends about it before the
     * response (progress, logging, sampling or elicitation requests). Fails with a
     * {@link JsonRpcException} when the server does not answer within {@link #timeout()} (a
     * progress notification restarts the wait), goes away, or cannot be reached; with
     * {@link SessionGone} when the upstream no longer knows the session.
     */
    Future<Message> request(Call call, Message request, Consumer<Message> related);

    /** Sends a notification, or the client's response to a server request. */
    Future<Void> deliver(Call call, Message message);

    /**
     * Opens the server's own message stream (the Streamable HTTP GET). Fails with
     * {@link StreamUnsupported} when the server offers none.
     *
     * @param lastEventId the last event of this session's stream already had, sent as
     *                    {@code Last-Event-ID} so a server that keeps its events replays what came
     *                    after it; null to start afresh. Transports without event ids ignore it.
     */
    Future<Listening> listen(Call call, String lastEventId, StreamMessages messages);

    /** Receives a server's stream: each message with the stream's last event id (null: the server numbers none). */
    @FunctionalInterface
    interface StreamMessages {
        void accept(Message message, String eventId);
    }

    /** Ends the upstream session behind a downstream session (Streamable HTTP DELETE); best effort. */
    Future<Void> terminate(Call call);

    /**
     * What one downstream call brings to the upstream.
     *
     * @param http             the event loop's upstream client (Streamable HTTP)
     * @param upstreamSession  the upstream's session id, or null
     * @param protocolVersion  the negotiated version, for {@code MCP-Protocol-Version}; null before initialize
     * @param downstream       a key naming the downstream session (routes cancellations on shared channels)
     * @param trace            trace context headers to pass on ({@code traceparent}, {@code tracestate}, {@code baggage}),
     *                         or null when there are none
     * @param client           who reads what the server streams about the call, whose backpressure holds the
     *                         server's stream back; null when nothing streams to a client of this loop
     * @param tenant           the caller's namespace (or {@code -} for a caller without one): which connection a
     *                         server isolated per namespace uses
     */
    record Call(HttpClient http, String upstreamSession, String protocolVersion, String downstream, MultiMap trace,
                StreamRelay.Client client, String tenant) {
    }

    record Initialized(Message response, String upstreamSession) {
    }

    /** An open server stream; {@link #close()} ends it; {@link #ended()} completes when the upstream ends it. */
    interface Listening {
        void close();

        Future<Void> ended();
    }

    /** The upstream answered 404 for its session: the downstream session is over (404, the client re-initialises). */
    final class SessionGone extends RuntimeException {
        SessionGone(String message) {
            super(message, null, false, false);
        }
    }

    /** The upstream offers no server stream (405 to GET). */
    final class StreamUnsupported extends RuntimeException {
        StreamUnsupported(String message) {
            super(message, null, false, false);
        }
    }
}
