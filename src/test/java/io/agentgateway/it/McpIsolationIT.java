package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.StdioMcpServer;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenants kept apart on stateful upstreams: a stdio server runs one process per caller namespace
 * by default, or one per downstream session ({@code isolation: session}); only
 * {@code isolation: shared} lets callers of different namespaces share its state. {@code max_connections} bounds the
 * processes, and ending a session stops its process.
 */
class McpIsolationIT {
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: local, transport: stdio, command: %s, timeout: 90s}
                    - {name: per-session, transport: stdio, isolation: session, command: %s, timeout: 90s}
                    - {name: shared, transport: stdio, isolation: shared, command: %s, timeout: 90s}
                    - {name: one, transport: stdio, isolation: session, max_connections: 1, command: %s, timeout: 90s}
                    - {name: ns-one, transport: stdio, max_connections: 1, command: %s, timeout: 90s}
                    - {name: ns-reaped, transport: stdio, max_connections: 1, idle_timeout: 3s, command: %s, timeout: 90s}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team}
                      - {name: dev2, key_secret: dev2-key, namespace: dev-team}
                      - {name: prod, key_secret: prod-key, namespace: prod-team}
                """.formatted(StdioMcpServer.yamlCommand("local"), StdioMcpServer.yamlCommand("per-session"),
                StdioMcpServer.yamlCommand("shared"), StdioMcpServer.yamlCommand("one"), StdioMcpServer.yamlCommand("ns-one"),
                StdioMcpServer.yamlCommand("ns-reaped")),
                Map.of("DEV_KEY", "dev", "DEV2_KEY", "dev2", "PROD_KEY", "prod"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static McpSyncClient client(String server, String key) {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp/" + server, key).build();
        c.initialize();
        return c;
    }

    static String call(McpSyncClient c, String tool, String path) {
        McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder(tool).arguments(path == null ? Map.of() : Map.of("path", path)).build());
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void twoNamespacesUsingOneStdioServerCannotSeeEachOthersState() {
        try (McpSyncClient dev = client("local", "dev"); McpSyncClient prod = client("local", "prod")) {
            call(dev, "remember", "dev-team's secret");
            assertThat(call(prod, "recall", null)).isEqualTo("nothing");
            assertThat(call(dev, "recall", null)).isEqualTo("dev-team's secret");
            assertThat(call(dev, "pid", null)).isNotEqualTo(call(prod, "pid", null));
        }
    }

    @Test
    void perSessionIsolationGivesEvenTwoSessionsOfOneNamespaceTheirOwnProcess() {
        try (McpSyncClient a = client("per-session", "dev"); McpSyncClient b = client("per-session", "dev2")) {
            call(a, "remember", "a's");
            assertThat(call(b, "recall", null)).isEqualTo("nothing");
            assertThat(call(a, "recall", null)).isEqualTo("a's");
        }
    }

    @Test
    void byDefaultANamespaceSharesItsOwnProcessOnly() {
        try (McpSyncClient dev = client("local", "dev"); McpSyncClient dev2 = client("local", "dev2");
             McpSyncClient prod = client("local", "prod")) {
            call(dev, "remember", "team note");
            assertThat(call(dev2, "recall", null)).isEqualTo("team note");
            assertThat(call(prod, "recall", null)).isEqualTo("nothing");
        }
    }

    @Test
    void sharedIsolationIsAnExplicitChoiceToShare() {
        try (McpSyncClient dev = client("shared", "dev"); McpSyncClient prod = client("shared", "prod")) {
            call(dev, "remember", "everyone's");
            assertThat(call(prod, "recall", null)).isEqualTo("everyone's");
        }
    }

    @Test
    void maxConnectionsBoundsTheProcessesAndEndingASessionFreesOne() {
        String url = gateway.url("mcp") + "/mcp/one";
        String first = McpWire.open(url, "dev");
        McpWire.Answer refused = McpWire.post(url, "prod", null, McpWire.initialize(1));
        assertThat(refused.body()).contains("max_connections (1)");
        McpWire.Answer ended = McpWire.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).DELETE(), "dev", first);
        assertThat(ended.status()).isEqualTo(204);
        String second = McpWire.open(url, "prod");
        McpWire.Answer works = McpWire.post(url, "prod", second, McpWire.callTool(2, "recall", "{}"));
        assertThat(works.json().at("/result/content/0/text").asText()).isEqualTo("nothing");
    }

    /**
     * Per namespace at {@code max_connections}: a namespace that gets no connection is told the
     * limit (a JSON-RPC error with status 503 and {@code Retry-After}), never that its session is
     * gone.
     */
    @Test
    void aNamespaceBeyondMaxConnectionsIsToldTheLimit() {
        String url = gateway.url("mcp") + "/mcp/ns-one";
        String dev = McpWire.open(url, "dev");
        assertThat(recall(url, "dev", dev).json().at("/result/content/0/text").asText()).isEqualTo("nothing");

        // a refused call is a JSON-RPC error (as budget refusals are), its HTTP meaning in error.data
        McpWire.Answer refused = McpWire.post(url, "prod", null, McpWire.initialize(1));
        assertThat(refused.json().at("/error/data/status").asInt()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().at("/error/data/code").asText()).isEqualTo("max_connections_reached");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        assertThat(refused.json().at("/error/message").asText())
                .contains("ns-one", "max_connections (1)", "namespace connection is in use");
    }

    /**
     * A namespace whose connection was stopped (idle) and taken by another namespace while its
     * session went on: its session is still good, so its next call is told the limit, not 404.
     */
    @Test
    void aNamespaceWhoseConnectionWasTakenIsToldTheLimitNotThatItsSessionIsGone() throws Exception {
        String url = gateway.url("mcp") + "/mcp/ns-reaped";
        String dev = McpWire.open(url, "dev");
        assertThat(recall(url, "dev", dev).json().at("/result/content/0/text").asText()).isEqualTo("nothing");
        // dev-team's connection idles past idle_timeout (3s): prod-team's session takes its place
        Thread.sleep(4_100);
        String prod = McpWire.open(url, "prod");
        assertThat(recall(url, "prod", prod).json().at("/result/content/0/text").asText()).isEqualTo("nothing");

        McpWire.Answer full = recall(url, "dev", dev);
        assertThat(full.status()).as(full.body()).isNotEqualTo(404);
        assertThat(full.json().at("/error/data/status").asInt()).as(full.body()).isEqualTo(503);
        assertThat(full.json().at("/error/message").asText()).contains("max_connections (1)");
    }

    private static McpWire.Answer recall(String url, String key, String session) {
        return McpWire.post(url, key, session, McpWire.callTool(2, "recall", "{}"));
    }
}
