package io.agentgateway.config;

import java.time.Duration;

/** How long SIGTERM waits for in-flight requests and streams before the process exits. */
public record ShutdownConfig(Duration gracePeriod) {
    public static final ShutdownConfig DEFAULT = new ShutdownConfig(null);

    public ShutdownConfig {
        gracePeriod = gracePeriod == null ? Duration.ofSeconds(30) : gracePeriod;
    }
}
