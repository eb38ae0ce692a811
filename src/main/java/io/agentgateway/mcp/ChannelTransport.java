package io.agentgateway.mcp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * How a {@link Channel} moves JSON-RPC messages to and from one upstream over a long-lived
 * connection: a child process's stdin/stdout, or a legacy SSE stream with its POST endpoint.
 * One instance per incarnation: after {@code closed} fired it is not started again.
 */
interface ChannelTransport {
    /**
     * Connects. Each message from the upstream goes to {@code inbound} (on any thread, in order);
     * {@code closed} is told once, with a reason, when the connection ends for any cause.
     */
    Future<Void> start(Consumer<Buffer> inbound, Consumer<String> closed);

    /** Sends one message (a compact JSON object); completes when written, fails when it cannot be. */
    Future<Void> send(Buffer message);

    /** Ends the connection (stops the process); {@code closed} then fires if it has not. */
    void close();

    /**
     * Blocks until what {@link #close()} started has finished, for up to {@code millis}: at
     * process exit a child process must not outlive the gateway. Never call it on an event loop.
     */
    default void awaitClosed(long millis) {
    }
}
