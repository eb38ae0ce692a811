package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The LLM listener in front of an OpenAI-wire upstream, driven by the real openai-java client. */
class LlmProxyIT {
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start("""
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                admin: {address: 127.0.0.1, port: 0}
                llm:
                  providers:
                    - name: openai
                      type: openai
                      api_key_secret: openai-credentials
                      base_url: %s
                """.formatted(upstream.baseUrl()), Map.of("OPENAI_CREDENTIALS", "sk-upstream-key"), Clock.systemUTC());
        client = OpenAIOkHttpClient.builder().apiKey("client-side-key").baseUrl(gateway.url("llm") + "/v1").build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void nonStreamingChatPassesThroughWithTheProviderKey() {
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("Hello").build());
        assertThat(c.choices().get(0).message().content()).contains("Hello! How can I assist you today?");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS);
        FakeOpenAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/chat/completions");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer sk-upstream-key");
    }

    @Test
    void streamingChatArrivesChunkByChunkWithoutTheInjectedUsageChunk() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("Hello").build())) {
            s.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello! How can I assist you today?");
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }
}
