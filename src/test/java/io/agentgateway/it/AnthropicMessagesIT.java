package io.agentgateway.it;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.server.Json;
import io.agentgateway.testing.BudgetGauge;
import io.agentgateway.testing.FakeAnthropic;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The anthropic-java client's {@code messages().create}, {@code createStreaming} and
 * {@code countTokens} through the gateway: passed through to an Anthropic-shaped upstream byte for
 * byte (only the model alias changed), translated to chat completions for an OpenAI-shaped one,
 * governed like chat (its own API keys as {@code x-api-key} or bearer, {@code model:} policies,
 * token budgets charged with the reported usage) and refused in Anthropic's error shape.
 */
class AnthropicMessagesIT {
    static FakeOpenAi openai;
    static FakeAnthropic anthropic;
    static TestGateway gateway;
    static AnthropicClient client;
    static BudgetGauge budget;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s, models: ["gpt-*"]}
                    - {name: anthropic, type: anthropic, api_key_secret: anthropic-key, base_url: %s, models: ["claude-*"]}
                  models:
                    - {name: claude, provider: anthropic, model: claude-sonnet-4-5-20250929}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: agent}
                      - {name: prod, key_secret: prod-key, namespace: production, service_account: agent}
                      - {name: tiny, key_secret: tiny-key, namespace: tiny, service_account: agent}
                authorization:
                  default_action: allow
                  policies:
                    - {name: prod-no-claude, match: {kubernetes: {namespace: production}}, resources: ["model:claude*"], action: deny}
                rate_limiting:
                  - {name: dev-budget, match: {kubernetes: {namespace: dev-team}}, limit: 1000000, window: 24h, limit_by: tokens}
                  - {name: tiny-budget, match: {kubernetes: {namespace: tiny}}, limit: 10, window: 24h, limit_by: tokens}
                """.formatted(openai.baseUrl(), anthropic.baseUrl()),
                Map.of("DEV_KEY", "sk-dev", "PROD_KEY", "sk-prod", "TINY_KEY", "sk-tiny", "ANTHROPIC_KEY", "sk-ant-test"), Clock.systemUTC());
        client = client("sk-dev");
        budget = new BudgetGauge(gateway, "dev-budget", "dev-team", 1_000_000);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        openai.close();
        anthropic.close();
    }

    /** The SDK sends its API key as {@code x-api-key}. */
    static AnthropicClient client(String key) {
        return AnthropicOkHttpClient.builder().apiKey(key).baseUrl(gateway.url("llm")).maxRetries(0).build();
    }

    static MessageCreateParams.Builder ask(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(256).system("You are terse.").addUserMessage("Hello");
    }

    static Tool weather() {
        return Tool.builder().name("get_weather").description("Current weather")
                .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string"))).build()).build())
                .build();
    }

    static String text(Message m) {
        StringBuilder out = new StringBuilder();
        m.content().forEach(b -> b.text().ifPresent(t -> out.append(t.text())));
        return out.toString();
    }

    @Test
    void passedThroughToAnthropic() {
        long before = budget.remaining();
        Message m = client.messages().create(ask("claude-sonnet-4-5").build());
        m.validate();
        assertThat(text(m)).isEqualTo("Hi! My name is Claude.");
        assertThat(m.usage().inputTokens()).isEqualTo(FakeAnthropic.INPUT_TOKENS);
        FakeAnthropic.Received got = anthropic.last();
        assertThat(got.path()).isEqualTo("/v1/messages");
        assertThat(got.headers().get("x-api-key")).as("the provider's key, not the caller's").isEqualTo("sk-ant-test");
        assertThat(got.headers().get("authorization")).isNull();
        budget.awaitCharged(before, FakeAnthropic.INPUT_TOKENS + FakeAnthropic.OUTPUT_TOKENS);
    }

    @Test
    void passThroughIsByteFaithfulApartFromTheModelAlias() throws Exception {
        String body = "{\"model\":  \"claude\", \"max_tokens\": 100, \"temperature\": 0.50,\n"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"caf\\u00e9 1e3\"}]}";
        HttpResponse<String> r = post("/v1/messages", body, "x-api-key", "sk-dev");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(anthropic.last().raw()).isEqualTo(body.replace("\"claude\"", "\"claude-sonnet-4-5-20250929\""));
    }

    @Test
    void streamedPassThroughIsChargedTheReportedUsage() {
        long before = budget.remaining();
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("claude-sonnet-4-5").build())) {
            s.stream().forEach(accumulator::accumulate);
        }
        Message m = accumulator.message();
        assertThat(text(m)).isEqualTo("Hi! My name is Claude.");
        assertThat(m.usage().outputTokens()).isEqualTo(FakeAnthropic.OUTPUT_TOKENS);
        budget.awaitCharged(before, FakeAnthropic.INPUT_TOKENS + FakeAnthropic.OUTPUT_TOKENS);
    }

    @Test
    void translatedToAnOpenAiProvider() {
        long before = budget.remaining();
        Message m = AnthropicOkHttpClient.builder().authToken("sk-dev").baseUrl(gateway.url("llm")).maxRetries(0).build()
                .messages().create(ask("gpt-4o").build());
        m.validate();
        assertThat(text(m)).isEqualTo("Hello! How can I assist you today?");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.usage().inputTokens()).isEqualTo(OpenAiWire.PROMPT_TOKENS);
        assertThat(m.usage().outputTokens()).isEqualTo(OpenAiWire.COMPLETION_TOKENS);
        FakeOpenAi.Received got = openai.last();
        assertThat(got.path()).isEqualTo("/v1/chat/completions");
        assertThat(got.body().path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Hello\"}]");
        assertThat(got.body().path("max_tokens").asInt()).isEqualTo(256);
        budget.awaitCharged(before, OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS);
    }

    @Test
    void streamedTranslationWithAToolCall() {
        long before = budget.remaining();
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<RawMessageStreamEvent> events = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(ask("gpt-4o").addTool(weather()).build())) {
            s.stream().forEach(e -> {
                events.add(e);
                accumulator.accumulate(e);
            });
        }
        assertThat(events.get(0).isMessageStart()).isTrue();
        assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
        Message m = accumulator.message();
        ContentBlock block = m.content().get(m.content().size() - 1);
        assertThat(block.toolUse().orElseThrow().name()).isEqualTo("get_weather");
        assertThat(block.toolUse().orElseThrow()._input().toString()).contains("Boston");
        assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(m.usage().outputTokens()).isEqualTo(OpenAiWire.COMPLETION_TOKENS);
        assertThat(openai.last().body().path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        budget.awaitCharged(before, OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS);
    }

    @Test
    void countTokensIsForwardedToAnthropicAndEstimatedForOthers() {
        long before = budget.remaining();
        assertThat(client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
                .addUserMessage("Hello").build()).inputTokens()).isEqualTo(FakeAnthropic.COUNTED_TOKENS);
        assertThat(anthropic.last().path()).isEqualTo("/v1/messages/count_tokens");
        int calls = openai.received().size();
        long estimate = client.messages().countTokens(MessageCountTokensParams.builder().model("gpt-4o")
                .system("You are terse.").addUserMessage("Hello there, how are you today?").build()).inputTokens();
        assertThat(estimate).isBetween(10L, 40L);
        assertThat(openai.received()).as("answered by the gateway").hasSize(calls);
        assertThat(budget.remaining()).as("counting costs no tokens").isEqualTo(before);
    }

    @Test
    void refusalsAreAnthropicShaped() throws Exception {
        assertThatThrownBy(() -> client("sk-wrong").messages().create(ask("gpt-4o").build()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> client("sk-prod").messages().create(ask("claude-sonnet-4-5").build()))
                .isInstanceOfSatisfying(PermissionDeniedException.class, e -> assertThat(e.getMessage()).contains("prod-no-claude"));
        assertThatThrownBy(() -> client("sk-tiny").messages().create(ask("gpt-4o").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.headers().values("retry-after")).isNotEmpty());
        assertThatThrownBy(() -> client.messages().create(ask("mistral-large").build()))
                .isInstanceOf(NotFoundException.class);

        for (var c : List.of(
                new String[]{"/v1/messages", "{\"model\":\"gpt-4o\",\"messages\":[]}", "sk-dev", "400", "invalid_request_error"},
                new String[]{"/v1/messages", "{}", "sk-nope", "401", "authentication_error"},
                new String[]{"/v1/messages/batches", "{}", "sk-dev", "404", "not_found_error"},
                new String[]{"/v1/messages", "{\"model\":\"claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "sk-prod", "403", "permission_error"},
                new String[]{"/v1/messages", "{\"model\":\"gpt-4o\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                        "sk-tiny", "429", "rate_limit_error"})) {
            HttpResponse<String> r = post(c[0], c[1], "x-api-key", c[2]);
            assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(Integer.parseInt(c[3]));
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertThat(body.path("type").asText()).as(r.body()).isEqualTo("error");
            assertThat(body.path("error").path("type").asText()).as(r.body()).isEqualTo(c[4]);
            assertThat(body.path("error").path("message").asText()).isNotEmpty();
        }
    }

    @Test
    void untranslatableRequestsAreA400NamingTheBlock() {
        assertThatThrownBy(() -> client.messages().create(ask("gpt-4o").addTool(com.anthropic.models.messages.WebSearchTool20250305.builder().build()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("tools.0.type"));
    }

    HttpResponse<String> post(String path, String body, String header, String value) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url("llm") + path)).header("content-type", "application/json")
                .header(header, value).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
