package io.agentgateway.it;

import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches an OpenAI-wire upstream is what the client sent: the body's bytes but for the
 * fields the gateway must change (spliced in, never re-serialized), the client headers the
 * provider's allow-list names and none of the client's credentials; and what the upstream streams,
 * keep-alive comments included, reaches the client.
 */
class FaithfulForwardingIT {
    static FakeOpenAi upstream;
    static FakeOpenAi custom;
    static TestGateway gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        custom = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      api_key_secret: openai-credentials
                      base_url: %s
                      models: ["gpt-4o"]
                    - name: inhouse
                      type: openai_compatible
                      base_url: %s
                      models: ["inhouse-*"]
                      forward_headers: [X-Team, OpenAI-Beta]
                  models:
                    - {name: fast, provider: openai, model: gpt-4o}
                """.formatted(upstream.baseUrl(), custom.baseUrl()),
                Map.of("OPENAI_CREDENTIALS", "sk-upstream-key"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        custom.close();
    }

    @BeforeEach
    void answerNormally() {
        upstream.always(new FakeOpenAi.Answer("Hello! How can I assist you today?"));
    }

    static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStreamedChatWithoutStreamOptionsArrivesByteForByteButForTheSplicedFields() throws Exception {
        String sent = "{\n  \"model\" : \"fast\",\n  \"stream\": true,\n  \"temperature\": 2.50,\n  \"max_tokens\": 1e3,\n"
                + "  \"messages\": [ {\"role\":\"user\", \"content\":\"caf\\u00e9 \\/ \\\"quoted\\\" \\ud83d\\ude00\"} ],\n"
                + "  \"metadata\": {\"nested\": {\"x\": 1.000}}\t}\n";
        HttpResponse<String> r = post(sent, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("data: [DONE]");
        String expected = sent.replace("\"model\" : \"fast\"", "\"model\" : \"gpt-4o\"")
                .replace("1.000}}\t}", "1.000}}\t,\"stream_options\":{\"include_usage\":true}}");
        assertThat(upstream.last().raw().getBytes()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnchangedRequestIsForwardedAsItsOwnBytes() throws Exception {
        String sent = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"temperature\":2.50,\"messages\":[{\"role\":\"user\",\"content\":\"\\u00e9\"}]}";
        post(sent, Map.of());
        assertThat(upstream.last().raw().toString(StandardCharsets.UTF_8)).isEqualTo(sent);
    }

    @Test
    void openAisClientHeadersReachTheUpstreamButNotTheClientsCredential() throws Exception {
        post("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of(
                "OpenAI-Organization", "org-123", "OpenAI-Project", "proj_456", "OpenAI-Beta", "assistants=v2",
                "X-Team", "payments", "Authorization", "Bearer client-secret", "Cookie", "session=abc"));
        FakeOpenAi.Received got = upstream.last();
        assertThat(got.headers().get("OpenAI-Organization")).isEqualTo("org-123");
        assertThat(got.headers().get("OpenAI-Project")).isEqualTo("proj_456");
        assertThat(got.headers().get("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(got.headers().get("X-Team")).isNull();
        assertThat(got.headers().get("Cookie")).isNull();
        assertThat(got.headers().get("Authorization")).isEqualTo("Bearer sk-upstream-key");
    }

    @Test
    void aProvidersForwardHeadersReplaceTheDefaultList() throws Exception {
        post("{\"model\":\"inhouse-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of(
                "OpenAI-Organization", "org-123", "OpenAI-Beta", "assistants=v2", "X-Team", "payments",
                "Authorization", "Bearer client-secret"));
        FakeOpenAi.Received got = custom.last();
        assertThat(got.headers().get("X-Team")).isEqualTo("payments");
        assertThat(got.headers().get("OpenAI-Beta")).isEqualTo("assistants=v2");
        assertThat(got.headers().get("OpenAI-Organization")).isNull();
        assertThat(got.headers().get("Authorization")).isNull();
    }

    @Test
    void upstreamKeepAliveCommentsReachTheClient() throws Exception {
        upstream.always(new FakeOpenAi.Pinging("one two three"));
        HttpResponse<String> r = post("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith(": ping\n\n").contains("data: [DONE]");
        assertThat(r.body().split(": ping\n\n", -1).length - 1).isGreaterThanOrEqualTo(3);
    }
}
