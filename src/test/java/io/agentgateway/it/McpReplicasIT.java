package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
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
 * Sessions across replicas: two in-process gateways sharing {@code mcp.session_key_secret}
 * continue each other's sessions (the upstream session id travels sealed in the downstream id);
 * a replica with another key does not. Upstream stdio servers survive a reload that leaves their
 * config unchanged and stop when they leave the config.
 */
class McpReplicasIT {
    static final String KEY = "f1e2d3c4b5a6978812345678abcdefab";
    static McpHttpServer fs;
    static TestGateway one;
    static TestGateway two;
    static TestGateway stranger;

    static String config(boolean withLocal) {
        return TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                %s
                  session_key_secret: mcp-session-key
                """.formatted(fs.url(), withLocal ? "    - {name: local, transport: stdio, isolation: shared, command: " + StdioMcpServer.yamlCommand("local") + ", timeout: 30s}" : "") + TestGateway.DEV_KEY;
    }

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        one = TestGateway.start(config(true), Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", KEY), Clock.systemUTC());
        two = TestGateway.start(config(false), Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", KEY), Clock.systemUTC());
        stranger = TestGateway.start(config(false), Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", "another-key-another-key-another!"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        stranger.close();
        two.close();
        one.close();
        fs.close();
    }

    @Test
    void aSessionStartedOnOneReplicaContinuesOnAnother() {
        String session = McpWire.open(one.url("mcp") + "/mcp/fs", "k");
        McpWire.Answer onTwo = McpWire.post(two.url("mcp") + "/mcp/fs", "k", session, McpWire.callTool(5, "read_file", "{\"path\":\"/moved\"}"));
        assertThat(onTwo.status()).isEqualTo(200);
        assertThat(onTwo.json().get("id").asInt()).isEqualTo(5);
        assertThat(onTwo.json().at("/result/content/0/text").asText()).isEqualTo("fs read /moved");

        McpWire.Answer elsewhere = McpWire.post(stranger.url("mcp") + "/mcp/fs", "k", session, McpWire.callTool(6, "read_file", "{}"));
        assertThat(elsewhere.status()).isEqualTo(404);
    }

    @Test
    void aFederatedSessionContinuesOnAnotherReplicaToo() {
        String session = McpWire.open(one.url("mcp") + "/mcp", "k");
        McpWire.Answer onTwo = McpWire.post(two.url("mcp") + "/mcp", "k", session, McpWire.callTool(8, "fs__read_file", "{\"path\":\"/f\"}"));
        assertThat(onTwo.json().at("/result/content/0/text").asText()).isEqualTo("fs read /f");
    }

    @Test
    void aStdioServerSurvivesAReloadThatKeepsItsConfigAndStopsWhenRemoved() throws Exception {
        long pid = pid();
        one.reload(config(true));
        assertThat(pid()).isEqualTo(pid);
        one.reload(config(false));
        ProcessHandle process = ProcessHandle.of(pid).orElse(null);
        if (process != null) {
            process.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        one.reload(config(true));
    }

    private static long pid() {
        try (McpSyncClient c = McpClients.streamable(one.url("mcp"), "/mcp/local", "k").build()) {
            c.initialize();
            return Long.parseLong(((McpSchema.TextContent) c.callTool(McpSchema.CallToolRequest.builder("pid").arguments(Map.of()).build()).content().get(0)).text());
        }
    }
}
