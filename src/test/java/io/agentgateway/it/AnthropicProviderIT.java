package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.agentgateway.testing.FakeAnthropic;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An OpenAI client talking to Anthropic through the gateway: request, answer and stream translated both ways. */
class AnthropicProviderIT {
    static FakeAnthropic upstream;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = FakeAnthropic.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - name: anthropic
                      type: anthropic
                      api_key_secret: anthropic-key
                      base_url: %s
                      models: ["claude-*"]
                """.formatted(upstream.baseUrl()), Map.of("ANTHROPIC_KEY", "sk-ant-test"), Clock.systemUTC());
        client = gateway.openAi("client");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static ChatCompletionCreateParams.Builder ask() {
        return ChatCompletionCreateParams.builder().model("claude-sonnet-4-5")
                .addSystemMessage("You are terse.").addUserMessage("Hello");
    }

    @Test
    void chatIsTranslatedToMessagesAndBack() {
        ChatCompletion c = client.chat().completions().create(ask().maxCompletionTokens(100).build());
        assertThat(c.choices().get(0).message().content()).contains("Hi! My name is Claude.");
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(FakeAnthropic.INPUT_TOKENS);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(FakeAnthropic.OUTPUT_TOKENS);
        FakeAnthropic.Received r = upstream.last();
        assertThat(r.headers().get("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(r.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(r.body().path("system").toString()).contains("You are terse.");
        assertThat(r.body().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(r.body().path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void streamBecomesOpenAiChunksWithUsageWhenAsked() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(ask()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hi! My name is Claude.");
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(FakeAnthropic.OUTPUT_TOKENS);
    }

    @Test
    void toolUseBecomesToolCalls() {
        ChatCompletion c = client.chat().completions().create(ask().addTool(LlmProxyIT.weatherTool()).build());
        var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).contains("San Francisco");
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
        assertThat(upstream.last().body().path("tools").get(0).path("input_schema").path("type").asText()).isEqualTo("object");
    }
}
