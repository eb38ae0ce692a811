package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin port: health, readiness (including a missing secret), metrics, and the effective config with every secret redacted. */
class AdminApiIT {
    static final String UPSTREAM_KEY = "sk-live-upstream-9f8e7d";
    static final String HEADER_TOKEN = "tenant-token-31337";
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      base_url: "%s"
                      api_key_secret: openai-credentials
                      headers: {x-tenant-token: "${TENANT_TOKEN}"}
                    - {name: other, type: openai, base_url: "%s", api_key_secret: never-provided, models: ["other-*"]}
                """.formatted(upstream.baseUrl(), upstream.baseUrl()),
                Map.of("OPENAI_CREDENTIALS", UPSTREAM_KEY, "TENANT_TOKEN", HEADER_TOKEN), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUpAndReadinessNamesTheMissingSecretWithoutAnyValue() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("never-provided/api-key").doesNotContain(UPSTREAM_KEY);
    }

    @Test
    void anUnknownPathIsAJson404AndAWrongMethodAJson405() throws Exception {
        HttpResponse<String> missing = get("/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = new ObjectMapper().readTree(missing.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("not_found");
        assertThat(error.path("message").asText()).startsWith("no admin endpoint at /nope").contains("/healthz");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(new ObjectMapper().readTree(post.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void effectiveConfigIsServedWithSecretsRedactedByType() throws Exception {
        HttpResponse<String> r = get("/api/config");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(UPSTREAM_KEY).doesNotContain(HEADER_TOKEN);
        JsonNode config = new ObjectMapper().readTree(r.body());
        JsonNode provider = config.path("llm").path("providers").get(0);
        assertThat(provider.path("headers").path("x-tenant-token").asText()).isEqualTo("****");
        assertThat(provider.path("api_key_secret").asText()).isEqualTo("openai-credentials");
        assertThat(provider.path("timeout").asText()).isEqualTo("2m");
        assertThat(config.path("listeners").get(0).path("protocol").asText()).isEqualTo("HTTP");
    }

    @Test
    void upstreamGetsTheSecretHeaderButMetricsAndConfigDoNot() throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upstream.last().headers().get("x-tenant-token")).isEqualTo(HEADER_TOKEN);
        // The exchange is counted when it completes, just after the client has its answer.
        HttpResponse<String> metrics = get("/metrics");
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!metrics.body().contains("agentgateway_requests_total{") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            metrics = get("/metrics");
        }
        assertThat(metrics.body()).contains("agentgateway_requests_total{").contains("gen_ai_client_token_usage")
                .doesNotContain(UPSTREAM_KEY).doesNotContain(HEADER_TOKEN);
    }
}
