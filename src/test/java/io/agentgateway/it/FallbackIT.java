package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeAnthropic;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code llm.models[].fallbacks}: tried in order on connect error, 429 or 5xx, before anything reached the client. */
class FallbackIT {
    static FakeOpenAi primary;
    static FakeOpenAi secondary;
    static FakeAnthropic claude;
    static TestGateway gateway;
    static OpenAIClient client;
    static final AtomicReference<FakeOpenAi.Behaviour> primaryBehaviour = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        primary = FakeOpenAi.start().script(r -> primaryBehaviour.get());
        secondary = FakeOpenAi.start();
        claude = FakeAnthropic.start();
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: primary, type: openai, base_url: "%s"}
                    - {name: secondary, type: openai_compatible, base_url: "%s"}
                    - {name: down, type: openai, base_url: "http://127.0.0.1:%d/v1"}
                    - {name: anthropic, type: anthropic, base_url: "%s", api_key_secret: anthropic-key}
                  models:
                    - {name: gpt-4, provider: primary, model: gpt-4o, fallbacks: [backup]}
                    - {name: backup, provider: secondary, model: llama-3.1-70b}
                    - {name: resilient, provider: down, model: gpt-4o, fallbacks: [claude-sonnet]}
                    - {name: claude-sonnet, provider: anthropic, model: claude-sonnet-4-5}
                """.formatted(primary.baseUrl(), secondary.baseUrl(), closed, claude.baseUrl()),
                Map.of("ANTHROPIC_KEY", "k"), Clock.systemUTC());
        client = gateway.openAi("x");
    }

    @BeforeEach
    void primaryAnswers() {
        primaryBehaviour.set(new FakeOpenAi.Answer("from primary"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        primary.close();
        secondary.close();
        claude.close();
    }

    static ChatCompletion ask(String model) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build());
    }

    @Test
    void primaryServesWhenHealthy() {
        assertThat(ask("gpt-4").choices().get(0).message().content()).contains("from primary");
    }

    @Test
    void serverErrorFallsBackWithTheFallbacksModelName() {
        primaryBehaviour.set(new FakeOpenAi.Status(503, "application/json", "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"));
        int before = secondary.received().size();
        assertThat(ask("gpt-4").choices()).hasSize(1);
        assertThat(secondary.received()).hasSize(before + 1);
        assertThat(secondary.last().body().path("model").asText()).isEqualTo("llama-3.1-70b");
    }

    @Test
    void rateLimitFallsBack() {
        primaryBehaviour.set(new FakeOpenAi.Status(429, "application/json", "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\"}}"));
        int before = secondary.received().size();
        ask("gpt-4");
        assertThat(secondary.received()).hasSize(before + 1);
    }

    @Test
    void clientErrorIsNotRetriedElsewhere() {
        primaryBehaviour.set(new FakeOpenAi.Status(400, "application/json", "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\"}}"));
        int before = secondary.received().size();
        assertThatThrownBy(() -> ask("gpt-4")).isInstanceOf(BadRequestException.class);
        assertThat(secondary.received()).hasSize(before);
    }

    @Test
    void connectErrorFallsBackAcrossProviderTypes() {
        assertThat(ask("resilient").choices().get(0).message().content().orElseThrow()).contains("Claude");
        assertThat(claude.last().body().path("model").asText()).isEqualTo("claude-sonnet-4-5");
    }

    @Test
    void streamFallsBackBeforeTheFirstByte() {
        primaryBehaviour.set(new FakeOpenAi.Status(500, "application/json", "{\"error\":{\"message\":\"boom\"}}"));
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("hi").build())) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        assertThat(text.toString()).isEqualTo("Hello! How can I assist you today?");
    }
}
