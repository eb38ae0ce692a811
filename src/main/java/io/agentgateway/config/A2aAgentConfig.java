package io.agentgateway.config;

import java.util.Map;

/**
 * One A2A target agent. {@code url} defaults to the {@code a2a.default_url} template; {@code demo}
 * makes it an agent built into the gateway (no url).
 */
public record A2aAgentConfig(
        @Required String name,
        @Required String namespace,
        String url,
        Map<String, Secret> headers,
        Boolean demo) {

    public A2aAgentConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        demo = demo != null && demo;
    }
}
