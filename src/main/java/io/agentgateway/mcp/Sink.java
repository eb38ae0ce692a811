package io.agentgateway.mcp;

import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Future;

/**
 * Where the messages answering one client message go: the POST's own response (JSON, or an SSE
 * stream once the server sends something before its answer) or, for a legacy SSE client, its
 * long-lived event stream. Confined to the request's event loop.
 */
interface Sink {
    /** A server message about the call in progress (progress, logging, sampling request). */
    void related(Message m);

    /**
     * A server message not tied to this call, while no client stream is attached: written like
     * {@link #related} if the answer can still carry it. False when it cannot (the answer has
     * ended, the client closed, or it takes no event stream), so the message waits elsewhere.
     */
    boolean offer(Message m);

    /** The final answer. */
    Future<Void> respond(Message m);

    /** The client message needs no answer (notification, response): 202. */
    Future<Void> accepted();

    /** Whether the answer has begun, so a failure must be told in-band. */
    boolean started();

    /** The client stream related messages are written to, whose backpressure holds the server back; null: none on this loop. */
    StreamRelay.Client client();
}
