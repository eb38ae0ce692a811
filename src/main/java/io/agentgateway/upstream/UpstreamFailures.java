package io.agentgateway.upstream;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what can go wrong talking to an upstream (an LLM provider, an agent, an MCP server) into
 * the {@link GatewayError} the client is told: the one mapping from connect, TLS, reset and
 * timeout failures to error kinds and codes. The upstream is named the way messages name it
 * ({@code provider openai}, {@code agent dev-team/helper}); timeout wording is the caller's, as
 * it knows which setting ran out.
 *
 * <p>Stateless.
 */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    /**
     * A failure before the answer began.
     *
     * @param upstream        the upstream as messages name it ({@code provider openai})
     * @param timeoutMessage  what to say when the call's time ran out ({@code cause} a {@link TimeoutException})
     */
    public static GatewayError map(String upstream, Throwable cause, String timeoutMessage) {
        if (cause instanceof GatewayError g) {
            return g;
        }
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout", timeoutMessage, null, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_unreachable",
                    "could not connect to " + upstream + ": " + describe(cause), null, cause);
        }
        if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_closed",
                    upstream + " closed the connection before answering", null, cause);
        }
        if (cause instanceof SSLException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_tls",
                    "TLS with " + upstream + " failed: " + describe(cause), null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_error",
                "request to " + upstream + " failed: " + describe(cause), null, cause);
    }

    /**
     * A failure after the stream to the client began, told in-band as an error event.
     *
     * @param stream          the stream as messages name it ({@code the stream from provider openai})
     * @param timeoutMessage  what to say when the upstream fell silent for its timeout
     */
    public static GatewayError midStream(String stream, Throwable cause, String timeoutMessage) {
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout", timeoutMessage, null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_stream_broken",
                stream + " broke off: " + describe(cause), null, cause);
    }

    /** An answer that is not one the gateway can pass on (wrong type, too large, not the protocol's). */
    public static GatewayError badAnswer(String upstream, String code, String why) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, code, upstream + " " + why, null, null);
    }

    /** The upstream ended its stream before the answer was complete. */
    public static GatewayError incomplete(String message) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_stream_incomplete", message, null, null);
    }

    /** Failures worth trying the next fallback for: nothing reached the client and another upstream may do better. */
    public static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /** A failure's message for people: its own, or its type when it has none. */
    public static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
