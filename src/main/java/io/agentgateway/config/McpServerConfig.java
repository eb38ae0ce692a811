package io.agentgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream MCP server. {@code url} for the HTTP transports, {@code command} for stdio;
 * {@code isolation}, {@code max_connections} and {@code idle_timeout} apply to the transports
 * whose connection carries server state (stdio and legacy SSE).
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
        ConnectionPoolConfig connectionPool,
        Isolation isolation,
        Integer maxConnections,
        Duration idleTimeout) {

    public enum Transport { STREAMABLE_HTTP, SSE, STDIO, DEMO }

    /**
     * Who shares one upstream connection (one process for stdio): each downstream session gets
     * its own, each caller namespace gets its own, or every caller shares one.
     */
    public enum Isolation { SESSION, NAMESPACE, SHARED }

    public McpServerConfig {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        connectionPool = connectionPool == null ? ConnectionPoolConfig.DEFAULT : connectionPool;
        isolation = isolation == null ? Isolation.NAMESPACE : isolation;
        maxConnections = maxConnections == null ? 100 : maxConnections;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(10) : idleTimeout;
    }
}
