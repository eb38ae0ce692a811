package io.agentgateway.a2a;

import io.agentgateway.config.Durations;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Turns what can go wrong talking to an agent into the error the caller is told. */
final class AgentFailures {
    private AgentFailures() {
    }

    /**
     * A failure before the answer began.
     *
     * @param timeout the timeout that applied, for the message
     */
    static GatewayError map(String agent, Throwable cause, Duration timeout) {
        if (cause instanceof GatewayError g) {
            return g;
        }
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
                    "agent " + agent + " sent nothing for " + Durations.format(timeout), null, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_unreachable",
                    "could not connect to agent " + agent + ": " + describe(cause), null, cause);
        }
        if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_closed",
                    "agent " + agent + " closed the connection before answering", null, cause);
        }
        if (cause instanceof SSLException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_tls",
                    "TLS with agent " + agent + " failed: " + describe(cause), null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_error",
                "request to agent " + agent + " failed: " + describe(cause), null, cause);
    }

    /** A failure after the event stream to the caller began, told in-band as a JSON-RPC error event. */
    static GatewayError midStream(String agent, Throwable cause, Duration timeout) {
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
                    "agent " + agent + " sent no event for " + Durations.format(timeout) + " (a2a.stream_timeout)", null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_stream_broken",
                "the event stream from agent " + agent + " broke off: " + describe(cause), null, cause);
    }

    /** An answer that is not one the gateway can pass on (wrong type, too large). */
    static GatewayError badAnswer(String agent, String why) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "invalid_agent_response",
                "agent " + agent + " " + why, null, null);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
