package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JSON-RPC client for an A2A endpoint, on {@code java.net.http}: plain calls, agent cards, and
 * {@code text/event-stream} answers read as server-sent events (comment lines skipped, multi-line
 * data joined, as the SSE specification says).
 */
public final class A2aClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String bearer;

    /** @param bearer the credential sent as {@code Authorization: Bearer}, or null */
    public A2aClient(String base, String bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    public record Answer(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return A2aWire.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** An event-stream answer: the data of each event, in order. */
    public record Events(int status, HttpHeaders headers, List<String> data, int comments) {
        public List<JsonNode> json() {
            List<JsonNode> out = new ArrayList<>();
            for (String d : data) {
                try {
                    out.add(A2aWire.JSON.readTree(d));
                } catch (IOException e) {
                    throw new AssertionError("event data is not JSON: " + d, e);
                }
            }
            return out;
        }

        public JsonNode last() {
            List<JsonNode> all = json();
            return all.get(all.size() - 1);
        }
    }

    public Answer post(String path, Object body, String... headers) {
        return send(request(path, headers).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    public Answer get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    /** Posts and reads the answer as an event stream to its end. */
    public Events stream(String path, Object body, String... headers) {
        HttpRequest req = request(path, headers).header("accept", "text/event-stream").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<Stream<String>> response = http.send(req, HttpResponse.BodyHandlers.ofLines());
            List<String> data = new ArrayList<>();
            int[] comments = {0};
            StringBuilder current = new StringBuilder();
            boolean[] has = {false};
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        if (has[0]) {
                            data.add(current.toString());
                        }
                        current.setLength(0);
                        has[0] = false;
                    } else if (line.startsWith(":")) {
                        comments[0]++;
                    } else if (line.startsWith("data:")) {
                        if (has[0]) {
                            current.append('\n');
                        }
                        current.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                        has[0] = true;
                    }
                });
            }
            if (has[0]) {
                data.add(current.toString());
            }
            return new Events(response.statusCode(), response.headers(), data, comments[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private Answer send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
