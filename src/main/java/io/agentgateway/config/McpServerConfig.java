package io.agentgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream MCP server. {@code url} for the HTTP transports, {@code command} for stdio;
 * {@code demo} is the server built into the gateway (no url, no command).
 */
public record McpServerConfig(
        @Required String name,
        @Required Transport transport,
        String url,
        Map<String, Secret> headers,
        List<String> command,
        Map<String, Secret> env,
        String workingDir,
        Duration timeout,
        ConnectionPoolConfig connectionPool) {

    public enum Transport { STREAMABLE_HTTP, SSE, STDIO, DEMO }

    public McpServerConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        connectionPool = connectionPool == null ? ConnectionPoolConfig.DEFAULT : connectionPool;
    }
}
