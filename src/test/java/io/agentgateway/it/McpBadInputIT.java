package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.StdioMcpServer;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every kind of bad input and failing upstream gets a clear answer, and the gateway keeps serving. */
class McpBadInputIT {
    static McpHttpServer fs;
    static TestGateway gateway;
    static String base;

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        gateway = TestGateway.start(TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                    - {name: slow, transport: streamable_http, url: "%s", timeout: 1s}
                    - {name: down, transport: streamable_http, url: "http://127.0.0.1:9/mcp", timeout: 5s}
                    - {name: local, transport: stdio, command: %s, timeout: 30s}
                """.formatted(fs.url(), fs.url(), StdioMcpServer.yamlCommand("local")) + TestGateway.DEV_KEY,
                Map.of("DEV_KEY", "k"), Clock.systemUTC());
        base = gateway.url("mcp");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        fs.close();
    }

    @Test
    void aBodyThatIsNotJsonIsAParseError() {
        McpWire.Answer a = McpWire.post(base + "/mcp/fs", "k", null, "{not json");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(a.json().get("id").isNull()).isTrue();
        assertThat(a.json().at("/error/message").asText()).contains("not valid JSON").contains("line 1");
    }

    @Test
    void jsonThatIsNotJsonRpcIsAnInvalidRequest() {
        for (String body : new String[]{"{\"hello\":1}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "[1,2]", "42",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"ping\"}"}) {
            McpWire.Answer a = McpWire.post(base + "/mcp/fs", "k", null, body);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.json().at("/error/code").asInt()).as(body).isEqualTo(-32600);
        }
    }

    @Test
    void anUnknownMethodIsPassedThroughAndTheUpstreamsErrorReturned() {
        String session = McpWire.open(base + "/mcp/fs", "k");
        McpWire.Answer a = McpWire.post(base + "/mcp/fs", "k", session, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"vendor/custom\",\"params\":{}}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("id").asInt()).isEqualTo(7);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(a.json().at("/error/message").asText()).containsIgnoringCase("method not found");
    }

    @Test
    void anUnknownServerIs404() {
        McpWire.Answer a = McpWire.post(base + "/mcp/no-such-server", "k", null, McpWire.initialize(1));
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().at("/error/message").asText()).contains("no-such-server").contains("fs");
    }

    @Test
    void aToolThatDoesNotExistIsTheUpstreamsError() {
        try (McpSyncClient c = McpClients.streamable(base, "/mcp/fs", "k").build()) {
            c.initialize();
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("no_such_tool").arguments(Map.of()).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32602);
                        assertThat(String.valueOf(e.getJsonRpcError().data())).contains("no_such_tool");
                    });
            assertThat(c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/still-serving")).build()).isError()).isFalse();
        }
    }

    @Test
    void anUpstreamThatIsDownIsAJsonRpcError() {
        McpWire.Answer a = McpWire.post(base + "/mcp/down", "k", null, McpWire.initialize(3));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("id").asInt()).isEqualTo(3);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(a.json().at("/error/message").asText()).contains("down").contains("cannot be reached");
    }

    @Test
    void anUpstreamThatTimesOutIsAJsonRpcTimeoutError() {
        String session = McpWire.open(base + "/mcp/slow", "k");
        McpWire.Answer a = McpWire.post(base + "/mcp/slow", "k", session, McpWire.callTool(9, "sleep", "{\"ms\":8000}"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("id").asInt()).isEqualTo(9);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(a.json().at("/error/message").asText()).contains("slow").contains("did not answer").contains("1000ms");
    }

    @Test
    void aStdioServerThatExitsMidCallFailsTheCallAndIsRestarted() throws InterruptedException {
        try (McpSyncClient c = McpClients.streamable(base, "/mcp/local", "k").build()) {
            c.initialize();
            String pid = ((McpSchema.TextContent) c.callTool(McpSchema.CallToolRequest.builder("pid").arguments(Map.of()).build()).content().get(0)).text();
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("exit").arguments(Map.of()).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getMessage()).contains("local").contains("exited with code 3"));
            // The restart takes a JVM start; the call waits for it within the server's timeout.
            McpSchema.CallToolResult after = null;
            for (int i = 0; i < 5 && after == null; i++) {
                try {
                    after = c.callTool(McpSchema.CallToolRequest.builder("pid").arguments(Map.of()).build());
                } catch (McpError e) {
                    Thread.sleep(1000);
                }
            }
            assertThat(after).isNotNull();
            assertThat(((McpSchema.TextContent) after.content().get(0)).text()).isNotEqualTo(pid);
        }
    }

    @Test
    void sessionIdsThatWereNeverIssuedAre404() {
        String real = McpWire.open(base + "/mcp/fs", "k");
        char flipped = real.charAt(10) == 'A' ? 'B' : 'A';
        String tampered = real.substring(0, 10) + flipped + real.substring(11);
        for (String forged : new String[]{"made-up", "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", tampered}) {
            McpWire.Answer a = McpWire.post(base + "/mcp/fs", "k", forged, McpWire.callTool(1, "read_file", "{}"));
            assertThat(a.status()).as(forged).isEqualTo(404);
            assertThat(a.json().at("/error/message").asText()).contains("Session not found");
        }
        // a session of one server is not one of another
        assertThat(McpWire.post(base + "/mcp/slow", "k", real, McpWire.callTool(1, "read_file", "{}")).status()).isEqualTo(404);
        // no session at all
        assertThat(McpWire.post(base + "/mcp/fs", "k", null, McpWire.callTool(1, "read_file", "{}")).status()).isEqualTo(400);
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIs400() {
        String session = McpWire.open(base + "/mcp/fs", "k");
        McpWire.Answer a = McpWire.send(HttpRequest.newBuilder(URI.create(base + "/mcp/fs"))
                .header("content-type", "application/json").header("accept", "application/json, text/event-stream")
                .header("mcp-protocol-version", "1999-01-01")
                .POST(HttpRequest.BodyPublishers.ofString(McpWire.callTool(1, "read_file", "{}"))), "k", session);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/message").asText()).contains("1999-01-01").contains("2025-06-18");
    }

    @Test
    void deleteEndsTheSessionAndGetOpensTheServerStream() throws Exception {
        String session = McpWire.open(base + "/mcp/fs", "k");
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/mcp/fs"))
                .header("accept", "text/event-stream").header("authorization", "Bearer k").header("mcp-session-id", session)
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
        byte[] first = stream.body().readNBytes(15);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(": stream open\n\n");
        stream.body().close();

        McpWire.Answer deleted = McpWire.send(HttpRequest.newBuilder(URI.create(base + "/mcp/fs")).DELETE(), "k", session);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(McpWire.post(base + "/mcp/fs", "k", session, McpWire.callTool(1, "read_file", "{}")).status()).isEqualTo(404);
    }

    @Test
    void aRefusedOrBrokenRequestLeavesTheGatewayServing() {
        McpWire.post(base + "/mcp/fs", "k", null, "garbage");
        try (McpSyncClient c = McpClients.streamable(base, "/mcp/fs", "k").build()) {
            c.initialize();
            assertThat(c.listTools().tools()).isNotEmpty();
        }
    }
}
