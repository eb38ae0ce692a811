package io.agentgateway.config;

import java.util.List;

/** The {@code mcp} section: upstream MCP servers and the key that seals session ids. */
public record McpConfig(List<McpServerConfig> servers, String sessionKeySecret, String sessionKeySecretKey) {
    public static final McpConfig EMPTY = new McpConfig(null, null, null);

    public McpConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        sessionKeySecretKey = sessionKeySecretKey == null ? "key" : sessionKeySecretKey;
    }
}
