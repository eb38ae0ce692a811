package io.agentgateway.config;

import java.util.List;

/**
 * The whole configuration file, as parsed: immutable records that mirror the YAML.
 * Missing optional sections are filled with their defaults, so no component is null except where
 * its record says so. Built only by {@link ConfigLoader}; compiled into live objects elsewhere.
 */
public record GatewayConfig(
        @Required List<ListenerConfig> listeners,
        AdminConfig admin,
        String secretsDir,
        LlmConfig llm,
        McpConfig mcp,
        A2aConfig a2a,
        SecurityConfig security,
        AuthorizationConfig authorization,
        List<RateLimitRule> rateLimiting,
        RateLimitStoreConfig rateLimitStore,
        ObservabilityConfig observability,
        ShutdownConfig shutdown) {

    public GatewayConfig {
        listeners = List.copyOf(listeners);
        admin = admin == null ? AdminConfig.DEFAULT : admin;
        llm = llm == null ? LlmConfig.EMPTY : llm;
        mcp = mcp == null ? McpConfig.EMPTY : mcp;
        a2a = a2a == null ? A2aConfig.EMPTY : a2a;
        security = security == null ? SecurityConfig.NONE : security;
        authorization = authorization == null ? AuthorizationConfig.EMPTY : authorization;
        rateLimiting = rateLimiting == null ? List.of() : List.copyOf(rateLimiting);
        rateLimitStore = rateLimitStore == null ? RateLimitStoreConfig.MEMORY : rateLimitStore;
        observability = observability == null ? ObservabilityConfig.DEFAULT : observability;
        shutdown = shutdown == null ? ShutdownConfig.DEFAULT : shutdown;
    }
}
