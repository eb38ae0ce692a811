package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code mcp} section: upstream MCP servers, the key that seals session ids, how long a
 * session lives, and which {@code Origin}/{@code Host} values the MCP listener accepts.
 */
public record McpConfig(
        List<McpServerConfig> servers,
        String sessionKeySecret,
        String sessionKeySecretKey,
        Duration sessionIdleTimeout,
        Duration sessionMaxLifetime,
        List<String> allowedOrigins,
        List<String> allowedHosts) {
    public static final McpConfig EMPTY = new McpConfig(null, null, null, null, null, null, null);

    public McpConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        sessionKeySecretKey = sessionKeySecretKey == null ? "key" : sessionKeySecretKey;
        sessionIdleTimeout = sessionIdleTimeout == null ? Duration.ofHours(1) : sessionIdleTimeout;
        sessionMaxLifetime = sessionMaxLifetime == null ? Duration.ofHours(24) : sessionMaxLifetime;
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }
}
