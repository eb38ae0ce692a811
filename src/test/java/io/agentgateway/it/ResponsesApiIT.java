package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.agentgateway.testing.BudgetGauge;
import io.agentgateway.testing.FakeAnthropic;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.ResponsesWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The openai-java client's {@code responses().create} and {@code createStreaming} through the
 * gateway: passed through to an OpenAI-shaped upstream that serves {@code /v1/responses},
 * translated to chat completions for an OpenAI-compatible server and for Anthropic's Messages
 * API, with {@code previous_response_id} continued by the gateway for the translated ones, and
 * every call charged to the namespace's token budget with the usage the upstream reported.
 */
class ResponsesApiIT {
    static FakeOpenAi openai;
    static FakeAnthropic anthropic;
    static TestGateway gateway;
    static OpenAIClient client;
    static BudgetGauge budget;

    @BeforeAll
    static void start() {
        openai = FakeOpenAi.start();
        anthropic = FakeAnthropic.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s, models: ["gpt-*"]}
                    - {name: local, type: openai_compatible, base_url: %s, models: ["llama*"]}
                    - {name: anthropic, type: anthropic, api_key_secret: anthropic-key, base_url: %s, models: ["claude-*"]}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: agent}
                      - {name: other, key_secret: other-key, namespace: other-team, service_account: agent}
                rate_limiting:
                  - name: dev-budget
                    match: {kubernetes: {namespace: dev-team}}
                    limit: 1000000
                    window: 24h
                    limit_by: tokens
                """.formatted(openai.baseUrl(), openai.baseUrl(), anthropic.baseUrl()),
                Map.of("DEV_KEY", "sk-dev", "OTHER_KEY", "sk-other", "ANTHROPIC_KEY", "sk-ant-test"), Clock.systemUTC());
        client = client("sk-dev");
        budget = new BudgetGauge(gateway, "dev-budget", "dev-team", 1_000_000);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        openai.close();
        anthropic.close();
    }

    static OpenAIClient client(String key) {
        return gateway.openAi(key);
    }

    static FunctionTool weather() {
        return FunctionTool.builder().name("get_weather").description("Current weather").strict(false)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                        .build())
                .build();
    }

    static String text(Response r) {
        StringBuilder out = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
        }
        return out.toString();
    }

    @Test
    void passedThroughToAnUpstreamThatServesResponses() {
        long before = budget.remaining();
        Response r = client.responses().create(ResponseCreateParams.builder().model("gpt-4.1").input("Say hello")
                .instructions("Be terse.").build());
        r.validate();
        assertThat(text(r)).isEqualTo("Hello! How can I assist you today?");
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(ResponsesWire.INPUT_TOKENS);
        FakeOpenAi.Received got = openai.last();
        assertThat(got.path()).isEqualTo("/v1/responses");
        assertThat(got.headers().get("authorization")).as("the caller's key never goes upstream").isNull();
        assertThat(got.body().path("input").asText()).isEqualTo("Say hello");
        assertThat(got.body().path("instructions").asText()).isEqualTo("Be terse.");
        budget.awaitCharged(before, ResponsesWire.INPUT_TOKENS + ResponsesWire.OUTPUT_TOKENS);
    }

    @Test
    void streamedPassThroughKeepsTheTypedEventsAndChargesTheReportedUsage() {
        long before = budget.remaining();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("gpt-4.1").input("Say hello").build())) {
            s.stream().forEach(events::add);
        }
        StringBuilder text = new StringBuilder();
        events.forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
        assertThat(text.toString()).isEqualTo("Hello! How can I assist you today?");
        assertThat(events.get(0).isCreated()).isTrue();
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(ResponsesWire.OUTPUT_TOKENS);
        budget.awaitCharged(before, ResponsesWire.INPUT_TOKENS + ResponsesWire.OUTPUT_TOKENS);
    }

    @Test
    void translatedToChatCompletionsAndContinuedWithPreviousResponseId() {
        long before = budget.remaining();
        Response first = client.responses().create(ResponseCreateParams.builder().model("llama3.1").input("Say hello")
                .instructions("Be terse.").build());
        first.validate();
        assertThat(first.id()).startsWith("resp_");
        assertThat(text(first)).isEqualTo("Hello! How can I assist you today?");
        FakeOpenAi.Received got = openai.last();
        assertThat(got.path()).isEqualTo("/v1/chat/completions");
        assertThat(got.body().path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
        budget.awaitCharged(before, OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS);

        Response second = client.responses().create(ResponseCreateParams.builder().model("llama3.1").input("And again")
                .previousResponseId(first.id()).build());
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(openai.last().body().path("messages").toString()).as("the conversation, without the first instructions")
                .isEqualTo("[{\"role\":\"user\",\"content\":\"Say hello\"},{\"role\":\"assistant\",\"content\":\"Hello! How can I assist you today?\"},"
                        + "{\"role\":\"user\",\"content\":\"And again\"}]");

        assertThatThrownBy(() -> client("sk-other").responses().create(ResponseCreateParams.builder().model("llama3.1")
                .input("Whose?").previousResponseId(first.id()).build()))
                .as("another namespace cannot continue it")
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("Previous response with id '" + first.id() + "' not found"));
    }

    @Test
    void streamedTranslationFromAnthropicWithAToolCall() {
        long before = budget.remaining();
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(ResponseCreateParams.builder()
                .model("claude-sonnet-4-5").input("Weather in SF?").addTool(weather()).build())) {
            s.stream().forEach(events::add);
        }
        events.forEach(ResponseStreamEvent::validate);
        StringBuilder arguments = new StringBuilder();
        events.forEach(e -> e.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta())));
        assertThat(arguments.toString()).isEqualTo("{\"location\": \"San Francisco, CA\"}");
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        ResponseFunctionToolCall call = done.output().get(0).functionCall().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(FakeAnthropic.INPUT_TOKENS);
        assertThat(anthropic.last().body().path("tools").get(0).path("name").asText()).isEqualTo("get_weather");
        budget.awaitCharged(before, FakeAnthropic.INPUT_TOKENS + FakeAnthropic.OUTPUT_TOKENS);

        // The tool's output goes back as a function_call_output item, continuing the stored conversation.
        Response answer = client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4-5")
                .previousResponseId(done.id())
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId()).output("{\"temperature\": 18}").build())))
                .addTool(weather()).build());
        assertThat(text(answer)).isEqualTo("Hi! My name is Claude.");
        var messages = anthropic.last().body().path("messages");
        assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("tool_use");
        assertThat(messages.get(2).path("content").get(0).path("type").asText()).isEqualTo("tool_result");
    }

    @Test
    void unknownPreviousResponseIdForATranslatedProviderIsA400() {
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("llama3.1")
                .input("Hi").previousResponseId("resp_unknown").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("Previous response with id 'resp_unknown' not found");
                });
    }

    @Test
    void hostedToolsAreRefusedForATranslatedProvider() {
        assertThatThrownBy(() -> client.responses().create(ResponseCreateParams.builder().model("llama3.1").input("Hi")
                .addTool(com.openai.models.responses.WebSearchTool.builder().type(com.openai.models.responses.WebSearchTool.Type.WEB_SEARCH).build())
                .build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("tools[0].type"));
    }
}
