package io.agentgateway.upstream;

import io.agentgateway.llm.Provider;

import io.agentgateway.config.Durations;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpClosedException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Turns what can go wrong talking to a provider into the error the client is told. */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    public static GatewayError map(Provider provider, Throwable cause) {
        if (cause instanceof GatewayError g) {
            return g;
        }
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
                    "provider " + provider.name() + " sent nothing for " + Durations.format(provider.config().timeout())
                            + " (its timeout)", null, cause);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_unreachable",
                    "could not connect to provider " + provider.name() + ": " + describe(cause), null, cause);
        }
        if (cause instanceof HttpClosedException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_closed",
                    "provider " + provider.name() + " closed the connection before answering", null, cause);
        }
        if (cause instanceof SSLException) {
            return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_tls",
                    "TLS with provider " + provider.name() + " failed: " + describe(cause), null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_error",
                "request to provider " + provider.name() + " failed: " + describe(cause), null, cause);
    }

    /** A failure after the stream to the client began, told in-band as an error event. */
    public static GatewayError midStream(String provider, Throwable cause) {
        if (cause instanceof TimeoutException) {
            return new GatewayError(ErrorKind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
                    "provider " + provider + " stopped sending in the middle of the stream", null, cause);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_stream_broken",
                "the stream from provider " + provider + " broke off: " + describe(cause), null, cause);
    }

    /** Failures worth trying the next fallback for: nothing reached the client and another upstream may do better. */
    public static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
