package io.agentgateway.server;

import io.agentgateway.config.ListenerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * What a handler gets from the listener instance a request arrived on: the listener's config and
 * the upstream HTTP client bound to this event loop (one keep-alive pool per loop, reused across
 * reloads). Confined to that event loop.
 */
public record ListenerContext(Vertx vertx, ListenerConfig listener, HttpClient upstream) {
    /** The upstream client's connect timeout; a call that wants another sets it on its request. */
    public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 10_000;
}
