package io.agentgateway.it;

import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.SseLines;
import io.agentgateway.testing.StreamOnlyMcpServer;
import io.agentgateway.testing.TestGateway;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Last-Event-ID} resumption of the server stream, relayed to a server that keeps its
 * events (as the TypeScript SDK's servers do with an event store): a client whose GET stream
 * broke after an event reconnects with that event's id and gets the events it missed, from the
 * server's replay, on {@code /mcp/SERVER} (the server's own ids) and on {@code /mcp} (ids naming
 * every server's position).
 */
class McpResumptionIT {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static StreamOnlyMcpServer upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = StreamOnlyMcpServer.startResumable();
        gateway = TestGateway.start(upstream.gatewayConfig(), Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void aResumedStreamGetsTheEventsItMissedOnOneServersEndpoint() throws Exception {
        SseLines.Event first = missTwoAndResume("/mcp/so", "");
        assertThat(upstream.resumedFrom()).last().isEqualTo(first.id());
    }

    @Test
    void aResumedStreamGetsTheEventsItMissedOnTheMergedEndpoint() throws Exception {
        SseLines.Event first = missTwoAndResume("/mcp", "so__");
        assertThat(first.id()).startsWith("gw1.");
        // the server is given its own id back, not the merged stream's
        assertThat(upstream.resumedFrom()).last().asString().endsWith("_1").doesNotStartWith("gw1.");
    }

    @Test
    void anIdTheGatewayNeverGaveResumesNothingAndTheStreamStillOpens() throws Exception {
        String url = gateway.url("mcp") + "/mcp";
        String session = McpWire.open(url, "k");
        int resumed = upstream.resumedFrom().size();
        HttpResponse<Stream<String>> stream = open(url, session, "not-ours");
        try (Stream<String> body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            announce(url, session, "so__", "fresh");
            assertThat(next(body.iterator()).data().at("/params/data").asText()).isEqualTo("fresh");
        }
        assertThat(upstream.resumedFrom()).hasSize(resumed);
    }

    /** Reads one event, lets two more go unread on a stream it then drops, and resumes from the one it read. */
    private static SseLines.Event missTwoAndResume(String path, String prefix) throws Exception {
        String url = gateway.url("mcp") + path;
        String session = McpWire.open(url, "k");
        SseLines.Event first;
        HttpResponse<Stream<String>> broken = open(url, session, null);
        try (Stream<String> body = broken.body()) {
            Iterator<String> lines = body.iterator();
            announce(url, session, prefix, "one");
            first = next(lines);
            assertThat(first.data().at("/params/data").asText()).isEqualTo("one");
            assertThat(first.id()).isNotBlank();
            announce(url, session, prefix, "two");
            announce(url, session, prefix, "three");
        }
        HttpResponse<Stream<String>> resumed = open(url, session, first.id());
        try (Stream<String> body = resumed.body()) {
            assertThat(resumed.statusCode()).isEqualTo(200);
            Iterator<String> lines = body.iterator();
            SseLines.Event two = next(lines);
            SseLines.Event three = next(lines);
            assertThat(two.data().at("/params/data").asText()).isEqualTo("two");
            assertThat(three.data().at("/params/data").asText()).isEqualTo("three");
            assertThat(three.id()).isNotBlank().isNotEqualTo(two.id());
        }
        return first;
    }

    private static void announce(String url, String session, String prefix, String note) {
        McpWire.Answer a = McpWire.post(url, "k", session, McpWire.callTool(7, prefix + "announce", "{\"note\":\"" + note + "\"}"));
        assertThat(a.status()).isEqualTo(200);
    }

    private static HttpResponse<Stream<String>> open(String url, String session, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("accept", "text/event-stream")
                .header("authorization", "Bearer k").header("mcp-session-id", session).GET();
        if (lastEventId != null) {
            b.header("last-event-id", lastEventId);
        }
        return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
    }

    /** The next event, with the stream's last event id; fails after 20 s rather than hang. */
    private static SseLines.Event next(Iterator<String> lines) throws Exception {
        return SseLines.next(lines, Duration.ofSeconds(20));
    }
}
