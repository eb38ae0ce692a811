package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Raw Streamable HTTP exchanges with a gateway, for what an SDK client never sends (broken JSON,
 * forged session ids) and for looking at headers and status codes the SDK hides.
 */
public final class McpWire {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpWire() {
    }

    public record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                String b = body;
                if (headers.firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                    // the last data line carries the answer
                    String last = null;
                    for (String line : b.split("\n")) {
                        if (line.startsWith("data:")) {
                            last = line.substring(5).trim();
                        }
                    }
                    b = last;
                }
                return JSON.readTree(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String session() {
            return headers.firstValue("mcp-session-id").orElse(null);
        }
    }

    /** POSTs {@code body} to {@code url}; {@code key} and {@code session} may be null. */
    public static Answer post(String url, String key, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, key, session);
    }

    public static Answer send(HttpRequest.Builder b, String key, String session) {
        if (key != null) {
            b.header("authorization", "Bearer " + key);
        }
        if (session != null) {
            b.header("mcp-session-id", session);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String initialize(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"wire-test\",\"version\":\"1\"}}}";
    }

    public static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    public static String callTool(int id, String tool, String argumentsJson) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + argumentsJson + "}}";
    }

    /** Initialises a session at {@code url} and returns its id. */
    public static String open(String url, String key) {
        Answer a = post(url, key, null, initialize(1));
        if (a.status() != 200 || a.session() == null) {
            throw new IllegalStateException("initialize failed: " + a.status() + " " + a.body());
        }
        Answer n = post(url, key, a.session(), INITIALIZED);
        if (n.status() != 202) {
            throw new IllegalStateException("initialized notification: " + n.status() + " " + n.body());
        }
        return a.session();
    }
}
