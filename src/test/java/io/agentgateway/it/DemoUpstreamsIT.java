package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The quickstart's built-in upstreams, driven by real clients through the gateway: the demo MCP
 * server by the MCP Java SDK client, the demo agents over A2A JSON-RPC, HTTP+JSON (REST) and SSE,
 * each under the quickstart's policies.
 */
class DemoUpstreamsIT {
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        String yaml = Files.readString(Path.of("examples/quickstart.yaml"));
        for (String port : List.of("8080", "8081", "8082", "15000")) {
            yaml = yaml.replace("port: " + port, "port: 0");
        }
        gateway = TestGateway.start(yaml);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static McpSyncClient mcp(String key) {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp/demo-tools", key).build();
        c.initialize();
        return c;
    }

    static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void theDemoMcpServerAnswersItsToolsUnderPolicy() {
        try (McpSyncClient dev = mcp("sk-dev-team-demo")) {
            assertThat(dev.getServerInfo().name()).isEqualTo("agentgateway-demo-tools");
            assertThat(dev.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("echo", "add", "drop_table");
            assertThat(text(dev.callTool(McpSchema.CallToolRequest.builder("echo").arguments(Map.of("text", "hi")).build()))).isEqualTo("hi");
            assertThat(text(dev.callTool(McpSchema.CallToolRequest.builder("add").arguments(Map.of("a", 0.5, "b", 2)).build()))).isEqualTo("2.5");
            McpSchema.CallToolResult wrong = dev.callTool(McpSchema.CallToolRequest.builder("add").arguments(Map.of("a", "x")).build());
            assertThat(wrong.isError()).isTrue();
            assertThat(text(wrong)).contains("\"a\" and \"b\", both numbers");
            assertThat(text(dev.callTool(McpSchema.CallToolRequest.builder("drop_table").arguments(Map.of("table", "orders")).build())))
                    .startsWith("dropped table orders");
        }
        try (McpSyncClient prod = mcp("sk-production-demo")) {
            assertThat(prod.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("echo", "add");
            assertThatThrownBy(() -> prod.callTool(McpSchema.CallToolRequest.builder("drop_table").arguments(Map.of("table", "t")).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getJsonRpcError().message())
                            .contains("mcp:demo-tools/drop_table"));
        }
    }

    static String send(String method, int id, String text) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{\"message\":{\"kind\":\"message\","
                + "\"role\":\"user\",\"messageId\":\"m-" + id + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"" + text + "\"}]}}}";
    }

    @Test
    void theDemoAgentsAnswerAndStreamWithinTheirNamespaces() {
        A2aClient dev = new A2aClient(gateway.url("a2a"), "sk-dev-team-demo");
        JsonNode card = dev.get("/dev-team/reviewer/.well-known/agent-card.json").json();
        assertThat(card.path("url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/reviewer");
        assertThat(card.path("capabilities").path("streaming").asBoolean()).isTrue();

        JsonNode task = dev.post("/dev-team/reviewer", send("message/send", 1, "Review PR #42")).json().path("result");
        assertThat(task.path("status").path("state").asText()).isEqualTo("completed");
        assertThat(task.path("artifacts").get(0).path("parts").get(0).path("text").asText())
                .isEqualTo("reviewer (a demo agent in dev-team) read: Review PR #42");

        A2aClient.Events events = dev.stream("/dev-team/reviewer", send("message/stream", 2, "Review PR #43"));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json()).extracting(e -> e.path("result").path("kind").asText())
                .containsExactly("task", "status-update", "artifact-update", "artifact-update", "status-update");
        assertThat(events.last().path("result").path("final").asBoolean()).isTrue();
        assertThat(events.json().get(3).path("result").path("artifact").path("parts").get(0).path("text").asText()).isEqualTo(" Review PR #43");

        A2aClient.Answer refused = dev.post("/production/payments", send("message/send", 3, "Refund order 7"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").path("data").path("policy").asText()).isEqualTo("cross-namespace-restricted");

        A2aClient prod = new A2aClient(gateway.url("a2a"), "sk-production-demo");
        assertThat(prod.post("/production/payments", send("message/send", 4, "Refund order 7")).json()
                .path("result").path("artifacts").get(0).path("parts").get(0).path("text").asText())
                .isEqualTo("payments (a demo agent in production) read: Refund order 7");
    }

    /** The demo agents' HTTP+JSON (REST) binding through the gateway: listed in the card, sent, streamed, and refused across namespaces. */
    @Test
    void theDemoAgentsSpeakRestThroughTheGateway() {
        A2aClient dev = new A2aClient(gateway.url("a2a"), "sk-dev-team-demo");
        JsonNode card = dev.get("/dev-team/reviewer/.well-known/agent-card.json").json();
        assertThat(card.path("additionalInterfaces").findValuesAsText("transport")).contains("JSONRPC", "HTTP+JSON");
        assertThat(card.path("additionalInterfaces").findValuesAsText("url")).containsOnly(gateway.url("a2a") + "/dev-team/reviewer");

        A2aClient.Answer sent = dev.post("/dev-team/reviewer/v1/message:send", message(5, "Review PR #44"));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().path("kind").asText()).isEqualTo("task");
        assertThat(sent.json().path("status").path("state").asText()).isEqualTo("completed");
        assertThat(sent.json().at("/artifacts/0/parts/0/text").asText()).isEqualTo("reviewer (a demo agent in dev-team) read: Review PR #44");

        A2aClient.Events events = dev.stream("/dev-team/reviewer/v1/message:stream", message(6, "Review PR #45"));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.json()).extracting(e -> e.path("kind").asText())
                .containsExactly("task", "status-update", "artifact-update", "artifact-update", "status-update");
        assertThat(events.last().path("final").asBoolean()).isTrue();

        A2aClient.Answer unknown = dev.get("/dev-team/reviewer/v1/tasks/no-such-task");
        assertThat(unknown.status()).isEqualTo(404);

        A2aClient.Answer refused = dev.post("/production/payments/v1/message:send", message(7, "Refund order 7"));
        assertThat(refused.status()).isEqualTo(403);
    }

    static String message(int id, String text) {
        return "{\"message\":{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"m-" + id
                + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"" + text + "\"}]}}";
    }
}
