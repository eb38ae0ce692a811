package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.BudgetGauge;
import io.agentgateway.testing.FakeGoogleAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The openai-java client through the gateway to Google: the Gemini API in its own format
 * ({@code api: native}, key in {@code x-goog-api-key}), and Vertex AI's Gemini and Claude models
 * with an access token the gateway obtained from a service-account key in a Secret (the token
 * endpoint checks the key's signed assertion). Streamed and not; the namespace's token budget is
 * charged what the provider reported.
 */
class GoogleProvidersIT {
    static final long BUDGET = 100_000;
    @TempDir
    static Path secrets;
    static FakeGoogleAi upstream;
    static TestGateway gateway;
    static OpenAIClient client;
    static BudgetGauge budget;

    @BeforeAll
    static void start() throws IOException {
        upstream = FakeGoogleAi.start("AIza-test-key");
        write("gemini-key", "api-key", "AIza-test-key");
        write("vertex-sa", "credentials.json", upstream.serviceAccountJson());
        write("agent-key", "api-key", "sk-agent");
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                secrets_dir: %s
                llm:
                  providers:
                    - name: gemini
                      type: gemini
                      api: native
                      api_key_secret: gemini-key
                      base_url: %s/v1beta
                      models: ["gemini-*"]
                    - name: vertex
                      type: vertex_ai
                      project: my-project
                      region: us-central1
                      base_url: %s/v1/projects/my-project/locations/us-central1
                      credentials_secret: vertex-sa
                      models: []
                  models:
                    - {name: vertex-gemini, provider: vertex, model: gemini-2.5-flash}
                    - {name: vertex-claude, provider: vertex, model: claude-sonnet-4-5@20250929}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: agent, key_secret: agent-key, namespace: team-g, service_account: agent}
                rate_limiting:
                  - {name: team-g-tokens, match: {kubernetes: {namespace: team-g}}, limit: %d, window: 24h, limit_by: tokens}
                """.formatted(secrets, upstream.baseUrl(), upstream.baseUrl(), BUDGET), Map.of(), Clock.systemUTC());
        budget = new BudgetGauge(gateway, "team-g-tokens", "team-g", BUDGET);
        client = gateway.openAi("sk-agent");
    }

    static void write(String secret, String key, String value) {
        BudgetGauge.writeSecret(secrets, secret, key, value);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("You are terse.").addUserMessage("Hello")
                .maxCompletionTokens(64);
    }

    static String streamed(String model) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(model)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(FakeGoogleAi.INPUT_TOKENS);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(FakeGoogleAi.OUTPUT_TOKENS);
        assertThat(chunks).anyMatch(ch -> ch.choices().stream().anyMatch(c -> c.finishReason().isPresent()));
        StringBuilder text = new StringBuilder();
        chunks.forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        return text.toString();
    }

    @Test
    void geminiNativeWithItsApiKeyStreamedAndNot() {
        double before = budget.remaining();
        ChatCompletion c = client.chat().completions().create(ask("gemini-2.5-flash").build());
        assertThat(c.choices().get(0).message().content()).contains("Hello from Gemini.");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(FakeGoogleAi.INPUT_TOKENS + FakeGoogleAi.OUTPUT_TOKENS);
        FakeGoogleAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(r.body().path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("You are terse.");
        assertThat(r.body().path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(64);
        assertThat(streamed("gemini-2.5-flash")).isEqualTo("Hello from Gemini.");
        assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertCharged(before, 2);
    }

    @Test
    void vertexGeminiWithATokenFromTheServiceAccountKey() {
        double before = budget.remaining();
        ChatCompletion c = client.chat().completions().create(ask("vertex-gemini").build());
        assertThat(c.choices().get(0).message().content()).contains("Hello from Gemini.");
        FakeGoogleAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(r.headers().get("authorization")).startsWith("Bearer ya29.fake-");
        assertThat(streamed("vertex-gemini")).isEqualTo("Hello from Gemini.");
        assertThat(upstream.last().path()).endsWith(":streamGenerateContent");
        assertThat(upstream.tokenRequests()).as("one token serves until it nears expiry").isEqualTo(1);
        assertCharged(before, 2);
    }

    @Test
    void claudeOnVertexGetsAnthropicsBodyWithTheVertexVersion() {
        double before = budget.remaining();
        ChatCompletion c = client.chat().completions().create(ask("vertex-claude").build());
        assertThat(c.choices().get(0).message().content()).contains("Hello from Claude on Vertex.");
        FakeGoogleAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/projects/my-project/locations/us-central1/publishers/anthropic/models/claude-sonnet-4-5%40"
                + "20250929:rawPredict");
        assertThat(r.body().path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(r.body().has("model")).isFalse();
        assertThat(r.body().path("max_tokens").asInt()).isEqualTo(64);
        assertThat(streamed("vertex-claude")).isEqualTo("Hello from Claude on Vertex.");
        assertThat(upstream.last().path()).endsWith(":streamRawPredict");
        assertCharged(before, 2);
    }

    /** Each of {@code calls} calls is charged exactly what the provider reported (so the next test starts settled). */
    static void assertCharged(double before, int calls) {
        Await.until("the calls are charged what the provider reported",
                () -> before - budget.remaining() == calls * (FakeGoogleAi.INPUT_TOKENS + FakeGoogleAi.OUTPUT_TOKENS));
    }

}
