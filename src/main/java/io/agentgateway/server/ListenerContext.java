package io.agentgateway.server;

import io.agentgateway.upstream.Deadlines;

import io.agentgateway.config.ListenerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * What a handler gets from the listener instance a request arrived on: the listener's config,
 * the upstream HTTP client bound to this event loop (one keep-alive pool per loop, reused across
 * reloads) and the loop's {@link Deadlines} for upstream calls. Confined to that event loop.
 */
public record ListenerContext(Vertx vertx, ListenerConfig listener, HttpClient upstream, Deadlines deadlines) {
    /** The upstream client's connect timeout; a call that wants another sets it on its request. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;

    /** A context whose idle deadlines are swept on the calling event loop (for tests that build one by hand). */
    public ListenerContext(Vertx vertx, ListenerConfig listener, HttpClient upstream) {
        this(vertx, listener, upstream, new Deadlines(vertx));
    }
}
