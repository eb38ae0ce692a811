package io.agentgateway.config;

import java.util.List;

/** One entry of {@code llm.models}: an alias (glob) clients send, its provider and failover. */
public record ModelRouteConfig(
        @Required String name,
        @Required String provider,
        String model,
        List<String> fallbacks) {

    public ModelRouteConfig {
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }
}
