package io.agentgateway.config;

import java.time.Duration;

/**
 * {@code connection_pool}: how many requests may hold a connection to one upstream at once
 * (across all event loops), how many more may wait for one, and for how long. The defaults let
 * thousands of concurrent streams through to one provider; a request that finds the limit reached
 * and the wait list full, or waits longer than {@code wait_timeout}, is answered 503 with
 * {@code Retry-After} at once.
 */
public record ConnectionPoolConfig(Integer maxConnections, Integer maxWaiting, Duration waitTimeout) {
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    public static final int DEFAULT_MAX_WAITING = 1024;
    /** The most a per-event-loop HTTP pool is sized for; a larger {@code max_connections} is refused. */
    public static final int MAX_CONNECTIONS_CEILING = 16_384;
    public static final ConnectionPoolConfig DEFAULT = new ConnectionPoolConfig(null, null, null);

    public ConnectionPoolConfig {
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        maxWaiting = maxWaiting == null ? DEFAULT_MAX_WAITING : maxWaiting;
        waitTimeout = waitTimeout == null ? Duration.ofSeconds(2) : waitTimeout;
    }
}
