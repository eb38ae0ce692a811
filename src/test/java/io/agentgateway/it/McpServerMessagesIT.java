package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.SseLines;
import io.agentgateway.testing.StreamOnlyMcpServer;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's own requests and notifications reach the client whatever the order in which the
 * client's GET stream and its POSTs arrive. The upstream sends them only on its GET stream and
 * drops them when no GET is attached (as the TypeScript SDK's servers do), so anything the
 * gateway does not listen for in time is lost and the call hangs.
 */
class McpServerMessagesIT {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static StreamOnlyMcpServer upstream;
    static TestGateway gateway;
    static final Duration READ_LIMIT = Duration.ofSeconds(20);

    @BeforeAll
    static void start() {
        upstream = StreamOnlyMcpServer.start();
        gateway = TestGateway.start(upstream.gatewayConfig(), Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void anElicitationReachesAClientThatPostsBeforeOpeningItsStream() throws Exception {
        String url = gateway.url("mcp") + "/mcp/so";
        String session = McpWire.open(url, "k");
        int before = upstream.dropped();
        Iterator<String> call = lines(post(url, session, McpWire.callTool(2, "ask", "{}")));
        JsonNode elicit = next(call);
        assertThat(elicit.path("method").asText()).isEqualTo("elicitation/create");
        answer(url, session, elicit.get("id"));
        JsonNode result = next(call);
        assertThat(result.path("id").asInt()).isEqualTo(2);
        assertThat(result.at("/result/content/0/text").asText()).contains("Ada");
        assertThat(upstream.dropped()).isEqualTo(before);
    }

    @Test
    void anElicitationGoesOnTheClientsStreamWhenItIsOpen() throws Exception {
        String url = gateway.url("mcp") + "/mcp/so";
        String session = McpWire.open(url, "k");
        Iterator<String> stream = lines(get(url, session));
        CompletableFuture<HttpResponse<Stream<String>>> call = post(url, session, McpWire.callTool(3, "ask", "{}"));
        JsonNode elicit = next(stream);
        assertThat(elicit.path("method").asText()).isEqualTo("elicitation/create");
        answer(url, session, elicit.get("id"));
        JsonNode result = next(lines(call));
        assertThat(result.at("/result/content/0/text").asText()).contains("Ada");
    }

    /**
     * A notification the server sends on its stream around the call's answer, while the client has
     * no GET stream open: on the call's own stream if it came first, else held until the client's
     * GET attaches, including when it reached the gateway after the answer was written but before
     * the POST let go of the session's messages. Both endpoints, and both orders at the server.
     */
    @Test
    void aNotificationNobodyListensForWaitsForTheClientsStream() throws Exception {
        for (String[] endpoint : new String[][]{{"/mcp/so", ""}, {"/mcp", "so__"}}) {
            for (String tool : new String[]{"announce", "announce_after"}) {
                for (int run = 0; run < 3; run++) {
                    String url = gateway.url("mcp") + endpoint[0];
                    String session = McpWire.open(url, "k");
                    int before = upstream.dropped();
                    String what = tool + " run " + run + " on " + endpoint[0];
                    HttpResponse<Stream<String>> call = response(post(url, session, McpWire.callTool(4, endpoint[1] + tool, "{}")));
                    try (Stream<String> body = call.body()) {
                        Iterator<String> lines = body.iterator();
                        JsonNode first = next(lines);
                        if (first.has("method")) {
                            // it came while the call was in flight: on the call's own stream, before the answer
                            assertThat(first.path("params").path("data").asText()).as(what).isEqualTo("announced");
                            assertThat(next(lines).at("/result/content/0/text").asText()).as(what).isEqualTo("announced");
                            continue;
                        }
                        assertThat(first.at("/result/content/0/text").asText()).as(what).isEqualTo("announced");
                    }
                    try (Stream<String> stream = response(get(url, session)).body()) {
                        JsonNode waited = next(stream.iterator());
                        assertThat(waited.path("method").asText()).as(what).isEqualTo("notifications/message");
                        assertThat(waited.path("params").path("data").asText()).as(what).isEqualTo("announced");
                    }
                    assertThat(upstream.dropped()).as(what).isEqualTo(before);
                }
            }
        }
    }

    @Test
    void sdkClientsGetEveryElicitationOnBothEndpoints() {
        for (int i = 0; i < 5; i++) {
            for (String[] endpoint : new String[][]{{"/mcp/so", "ask"}, {"/mcp", "so__ask"}}) {
                try (McpSyncClient c = McpClients.streamable(gateway.url("mcp"), endpoint[0], "k")
                        .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                        .elicitation(req -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada")))
                        .build()) {
                    c.initialize();
                    McpSchema.CallToolResult r = c.callTool(McpSchema.CallToolRequest.builder(endpoint[1]).arguments(Map.of()).build());
                    assertThat(((McpSchema.TextContent) r.content().get(0)).text()).as("run %d on %s", i, endpoint[0]).contains("Ada");
                }
            }
        }
    }

    static CompletableFuture<HttpResponse<Stream<String>>> post(String url, String session, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("accept", "application/json, text/event-stream")
                .header("authorization", "Bearer k").header("mcp-session-id", session)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
    }

    static CompletableFuture<HttpResponse<Stream<String>>> get(String url, String session) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("accept", "text/event-stream")
                .header("authorization", "Bearer k").header("mcp-session-id", session).GET().build(), HttpResponse.BodyHandlers.ofLines());
    }

    static Iterator<String> lines(CompletableFuture<HttpResponse<Stream<String>>> f) throws Exception {
        return response(f).body().iterator();
    }

    static HttpResponse<Stream<String>> response(CompletableFuture<HttpResponse<Stream<String>>> f) throws Exception {
        HttpResponse<Stream<String>> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    /** The next JSON-RPC message: an SSE event's data, or a whole JSON body; fails after {@link #READ_LIMIT} rather than hang. */
    static JsonNode next(Iterator<String> lines) throws Exception {
        return SseLines.next(lines, READ_LIMIT).data();
    }

    static void answer(String url, String session, JsonNode id) {
        McpWire.Answer a = McpWire.post(url, "k", session, "{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}");
        assertThat(a.status()).isEqualTo(202);
    }
}
