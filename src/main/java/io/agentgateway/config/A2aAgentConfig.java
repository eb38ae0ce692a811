package io.agentgateway.config;

import java.util.Map;

/** One A2A target agent. {@code url} defaults to the {@code a2a.default_url} template. */
public record A2aAgentConfig(
        @Required String name,
        @Required String namespace,
        String url,
        Map<String, Secret> headers) {

    public A2aAgentConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
