package io.agentgateway.testing;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;

import java.time.Duration;

/** MCP Java SDK clients pointed at a gateway, sending {@code Authorization: Bearer KEY}. */
public final class McpClients {
    private McpClients() {
    }

    /** Streamable HTTP to {@code baseUrl + endpoint} (e.g. {@code /mcp/fs}). */
    public static McpClient.SyncSpec streamable(String baseUrl, String endpoint, String key) {
        McpClientTransport t = HttpClientStreamableHttpTransport.builder(baseUrl).endpoint(endpoint)
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> {
                    if (key != null) {
                        b.header("Authorization", "Bearer " + key);
                    }
                }).build();
        return McpClient.sync(t).requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(30));
    }

    /** Legacy HTTP+SSE to {@code baseUrl + sseEndpoint} (e.g. {@code /sse/fs}). */
    // The SDK deprecates its legacy HTTP+SSE client, and older clients still speak it: the gateway must keep serving them.
    @SuppressWarnings("deprecation")
    public static McpClient.SyncSpec sse(String baseUrl, String sseEndpoint, String key) {
        McpClientTransport t = HttpClientSseClientTransport.builder(baseUrl).sseEndpoint(sseEndpoint)
                .addHttpRequestCustomizer((b, method, uri, body, ctx) -> {
                    if (key != null) {
                        b.header("Authorization", "Bearer " + key);
                    }
                }).build();
        return McpClient.sync(t).requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(30));
    }
}
