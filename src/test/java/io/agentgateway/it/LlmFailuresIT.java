package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input and upstream failure of issue 2 gets the right status and an OpenAI-shaped
 * error, and the gateway keeps serving the next request.
 */
class LlmFailuresIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static FakeOpenAi good;
    static FakeOpenAi hang;
    static FakeOpenAi broken;
    static FakeOpenAi refusing4xx;
    static FakeOpenAi notJson;
    static FakeOpenAi slow;
    static FakeOpenAi stalling;
    static TestGateway gateway;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        good = FakeOpenAi.start();
        hang = FakeOpenAi.start().always(new FakeOpenAi.Hang());
        broken = FakeOpenAi.start().always(new FakeOpenAi.CloseMidStream(3));
        refusing4xx = FakeOpenAi.start().always(new FakeOpenAi.Status(400, "application/json",
                "{\"error\":{\"message\":\"Invalid value for 'temperature'\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}"));
        notJson = FakeOpenAi.start().always(new FakeOpenAi.Status(200, "text/html", "<html>upstream proxy error</html>"));
        slow = FakeOpenAi.start().always(new FakeOpenAi.SlowStream("a b c d e f g h i j k l m n o p", 200));
        stalling = FakeOpenAi.start().always(new FakeOpenAi.StallMidStream(2));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        gateway = TestGateway.start("""
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                  - {name: small, address: 127.0.0.1, port: 0, protocol: HTTP, max_body_size: 1KiB}
                admin: {address: 127.0.0.1, port: 0}
                llm:
                  providers:
                    - {name: good, type: openai, base_url: "%s", models: ["good-*"]}
                    - {name: hang, type: openai, base_url: "%s", models: ["hang-*"], timeout: 1s}
                    - {name: broken, type: openai, base_url: "%s", models: ["broken-*"]}
                    - {name: strict, type: openai, base_url: "%s", models: ["strict-*"]}
                    - {name: html, type: openai, base_url: "%s", models: ["html-*"]}
                    - {name: slow, type: openai, base_url: "%s", models: ["slow-*"]}
                    - {name: stalling, type: openai, base_url: "%s", models: ["stall-*"], timeout: 1s}
                    - {name: down, type: openai, base_url: "http://127.0.0.1:%d/v1", models: ["down-*"], connect_timeout: 2s}
                """.formatted(good.baseUrl(), hang.baseUrl(), broken.baseUrl(), refusing4xx.baseUrl(), notJson.baseUrl(),
                slow.baseUrl(), stalling.baseUrl(), closedPort));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        for (FakeOpenAi f : List.of(good, hang, broken, refusing4xx, notJson, slow, stalling)) {
            f.close();
        }
    }

    @AfterEach
    void stillServing() throws Exception {
        HttpResponse<String> r = post("llm", chat("good-model", false));
        assertThat(r.statusCode()).as("the gateway keeps serving after the failure").isEqualTo(200);
    }

    static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    static HttpResponse<String> post(String listener, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url(listener) + "/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode error(HttpResponse<String> r) throws Exception {
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertThat(e.path("message").asText()).isNotBlank();
        assertThat(e.has("type")).isTrue();
        assertThat(e.has("code")).isTrue();
        assertThat(e.has("param")).isTrue();
        return e;
    }

    @Test
    void bodyThatIsNotJson() throws Exception {
        HttpResponse<String> r = post("llm", "model=gpt-4");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error(r).path("message").asText()).contains("not valid JSON");
    }

    @Test
    void jsonThatIsNotAnObject() throws Exception {
        HttpResponse<String> r = post("llm", "[1,2]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("message").asText()).contains("must be a JSON object");
    }

    @Test
    void missingModel() throws Exception {
        HttpResponse<String> r = post("llm", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("param").asText()).isEqualTo("model");
    }

    @Test
    void messagesOfTheWrongType() throws Exception {
        HttpResponse<String> r = post("llm", "{\"model\":\"good-model\",\"messages\":\"hi\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("param").asText()).isEqualTo("messages");
        assertThat(error(r).path("message").asText()).contains("array");
    }

    @Test
    void unknownModel() throws Exception {
        HttpResponse<String> r = post("llm", chat("gpt-99", false));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).path("code").asText()).isEqualTo("model_not_found");
        assertThat(error(r).path("type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void oversizeBody() throws Exception {
        String big = "{\"model\":\"good-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4096) + "\"}]}";
        HttpResponse<String> r = post("small", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(error(r).path("message").asText()).contains("max_body_size");
        assertThat(post("small", chat("good-model", false)).statusCode()).isEqualTo(200);
    }

    @Test
    void upstreamRefusingConnections() throws Exception {
        HttpResponse<String> r = post("llm", chat("down-model", false));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(error(r).path("code").asText()).isEqualTo("upstream_unreachable");
        assertThat(error(r).path("type").asText()).isEqualTo("upstream_error");
    }

    @Test
    void upstreamHangingPastTheTimeout() throws Exception {
        HttpResponse<String> r = post("llm", chat("hang-model", false));
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(error(r).path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void upstreamClosingMidStreamEndsTheStreamWithAnErrorEvent() throws Exception {
        HttpResponse<String> r = post("llm", chat("broken-model", true));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data).hasSizeGreaterThanOrEqualTo(2);
        assertThat(data.get(data.size() - 1)).contains("\"error\"").contains("upstream_stream_broken");
        assertThat(data).doesNotContain("[DONE]");
    }

    @Test
    void upstreamFallingSilentMidStreamIsCutAfterItsTimeoutWithAnErrorEvent() throws Exception {
        HttpResponse<String> r = post("llm", chat("stall-model", true));
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.get(data.size() - 1)).contains("\"error\"").contains("upstream_timeout");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!stalling.openResponses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stalling.openResponses()).as("the stalled upstream request was cancelled").isEmpty();
    }

    @Test
    void upstream4xxIsPassedThroughWithItsStatusAndBody() throws Exception {
        HttpResponse<String> r = post("llm", chat("strict-model", false));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r).path("param").asText()).isEqualTo("temperature");
        assertThat(error(r).path("code").asText()).isEqualTo("invalid_value");
    }

    @Test
    void upstreamReturningNonJson() throws Exception {
        HttpResponse<String> r = post("llm", chat("html-model", false));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(error(r).path("code").asText()).isEqualTo("upstream_invalid_response");
    }

    @Test
    void clientThatDisconnectsMidStreamCancelsTheUpstreamRequest() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat("slow-model", true))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).startsWith("data: ");
        assertThat(slow.openResponses()).hasSize(1);
        r.body().close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!slow.openResponses().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(slow.openResponses()).as("upstream stream cancelled").isEmpty();
        assertThat(slow.received()).hasSize(1);
    }

    @Test
    void streamsEndWithDone() throws Exception {
        HttpResponse<String> r = post("llm", chat("good-model", true));
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).collect(Collectors.toList());
        assertThat(data.get(data.size() - 1)).isEqualTo("data: [DONE]");
    }
}
