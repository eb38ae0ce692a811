package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpTools;
import io.agentgateway.testing.StdioMcpServer;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP Java SDK client through the gateway against SDK servers over Streamable HTTP, legacy
 * SSE and stdio: tools, prompts, resources, and what must pass unchanged (progress, _meta,
 * sampling, large binary results); the federated /mcp endpoint; the legacy SSE downstream.
 */
class McpTransportsIT {
    static McpHttpServer streamable;
    static McpHttpServer sse;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        streamable = McpHttpServer.streamable("fs");
        sse = McpHttpServer.sse("legacy");
        gateway = TestGateway.start(TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s", timeout: 20s}
                    - {name: legacy, transport: sse, url: "%s", timeout: 20s}
                    - {name: local, transport: stdio, command: %s, timeout: 20s}
                  session_key_secret: mcp-session-key
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team}
                authorization:
                  policies:
                    - {name: dev-mcp, match: {kubernetes: {namespace: dev-team}}, resources: ["mcp:*"], action: allow}
                """.formatted(streamable.url(), sse.url(), StdioMcpServer.yamlCommand("local")),
                Map.of("DEV_KEY", "dev-secret", "MCP_SESSION_KEY", "0123456789abcdef0123456789abcdef"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        streamable.close();
        sse.close();
    }

    static McpSyncClient client(String endpoint) {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), endpoint, "dev-secret").build();
        c.initialize();
        return c;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "legacy", "local"})
    void callsToolsOnEachTransport(String server) {
        try (McpSyncClient c = client("/mcp/" + server)) {
            assertThat(c.getServerInfo().name()).isEqualTo(server);
            assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name).contains("read_file", "write_file", "progress");
            McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/etc/motd")).build());
            assertThat(text(r)).isEqualTo(server + " read /etc/motd");
            assertThat(c.getPrompt(McpSchema.GetPromptRequest.builder("review").build()).messages()).hasSize(1);
            assertThat(c.readResource(McpSchema.ReadResourceRequest.builder("file:///readme.md").build()).contents()).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "legacy", "local"})
    void progressNotificationsArriveWithTheirToken(String server) throws InterruptedException {
        List<McpSchema.ProgressNotification> seen = new CopyOnWriteArrayList<>();
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp/" + server, "dev-secret").progressConsumer(seen::add).build();
        try (c) {
            c.initialize();
            McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder("progress")
                    .arguments(Map.of()).meta(Map.of("progressToken", "tok-" + server)).build());
            assertThat(text(r)).isEqualTo(server + " done");
            // The SDK client hands notifications to the consumer asynchronously: wait (bounded) for all three.
            for (int i = 0; i < 100 && seen.size() < 3; i++) {
                Thread.sleep(100);
            }
            assertThat(seen).extracting(McpSchema.ProgressNotification::progressToken).containsOnly("tok-" + server);
            assertThat(seen).extracting(McpSchema.ProgressNotification::message).containsExactlyInAnyOrder("step 1", "step 2", "step 3");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "local"})
    void metaIncludingTraceContextReachesTheServerUnchanged(String server) {
        try (McpSyncClient c = client("/mcp/" + server)) {
            McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder("echo_meta").arguments(Map.of())
                    .meta(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tenant", "a")).build());
            assertThat(text(r)).contains("traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").contains("tenant=a");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "local"})
    void samplingRequestsFromTheServerReachTheClientAndTheAnswerGoesBack(String server) {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp/" + server, "dev-secret")
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(req -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                        McpSchema.TextContent.builder("Paris").build(), "test-model").build())
                .build();
        try (c) {
            c.initialize();
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("ask_model").arguments(Map.of()).build()))).isEqualTo("model said: Paris");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "legacy", "local"})
    void largeBinaryResultsArriveUnchanged(String server) {
        try (McpSyncClient c = client("/mcp/" + server)) {
            McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder("big_image").arguments(Map.of()).build());
            McpSchema.ImageContent image = (McpSchema.ImageContent) r.content().get(0);
            assertThat(image.mimeType()).isEqualTo("image/png");
            assertThat(image.data()).isEqualTo(McpTools.bigImageBase64());
        }
    }

    @Test
    void federatedEndpointPrefixesEveryServersToolsWithoutCollision() {
        try (McpSyncClient c = client("/mcp")) {
            assertThat(c.getServerInfo().name()).isEqualTo("agentgateway");
            assertThat(c.getServerCapabilities().tools()).isNotNull();
            List<String> names = c.listTools().tools().stream().map(McpSchema.Tool::name).toList();
            assertThat(names).contains("fs__read_file", "legacy__read_file", "local__read_file", "fs__write_file");
            assertThat(names).doesNotContain("read_file");
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("fs__read_file").arguments(Map.of("path", "/a")).build()))).isEqualTo("fs read /a");
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("local__read_file").arguments(Map.of("path", "/b")).build()))).isEqualTo("local read /b");
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("legacy__read_file").arguments(Map.of("path", "/c")).build()))).isEqualTo("legacy read /c");
            assertThat(c.listPrompts().prompts()).extracting(McpSchema.Prompt::name).contains("fs__review", "local__review");
            assertThat(c.listResources().resources()).extracting(McpSchema.Resource::uri).contains("fs__file:///readme.md");
            assertThat(c.readResource(McpSchema.ReadResourceRequest.builder("local__file:///readme.md").build()).contents()).hasSize(1);
            assertThat(c.getPrompt(McpSchema.GetPromptRequest.builder("legacy__review").build()).messages().get(0).content())
                    .isEqualTo(McpSchema.TextContent.builder("legacy prompt").build());
        }
    }

    @Test
    void federatedSamplingIsRoutedBackToTheAskingServer() {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp", "dev-secret")
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(req -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                        McpSchema.TextContent.builder("Lyon").build(), "m").build())
                .build();
        try (c) {
            c.initialize();
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("fs__ask_model").arguments(Map.of()).build()))).isEqualTo("model said: Lyon");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs", "local"})
    void legacySseClientsAreServedAtSseServer(String server) {
        try (McpSyncClient c = McpClients.sse(gateway.url("mcp"), "/sse/" + server, "dev-secret").build()) {
            c.initialize();
            assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name).contains("read_file");
            assertThat(text(c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/x")).build()))).isEqualTo(server + " read /x");
        }
    }
}
