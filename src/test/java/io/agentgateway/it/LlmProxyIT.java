package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
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

/** The LLM listener in front of OpenAI-wire upstreams (OpenAI, Azure OpenAI), driven by the real openai-java client. */
class LlmProxyIT {
    static FakeOpenAi upstream;
    static FakeOpenAi azure;
    static TestGateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        azure = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      api_key_secret: openai-credentials
                      base_url: %s
                      models: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small", "o*"]
                    - name: azure
                      type: azure_openai
                      api_key_secret: azure-key
                      base_url: %s
                      api_version: 2024-10-21
                      models: ["azure-*"]
                  models:
                    - {name: gpt-4, provider: openai, model: gpt-4o}
                    - {name: corp-gpt, provider: azure, model: gpt-4o-deployment}
                """.formatted(upstream.baseUrl(), azure.baseUrl().replace("/v1", "")),
                Map.of("OPENAI_CREDENTIALS", "sk-upstream-key", "AZURE_KEY", "azure-secret"), Clock.systemUTC());
        client = gateway.openAi("client-side-key");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        azure.close();
    }

    static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello");
    }

    @Test
    void nonStreamingChatPassesThroughWithTheProviderKeyNotTheClients() {
        ChatCompletion c = client.chat().completions().create(ask("gpt-4o").build());
        assertThat(c.choices().get(0).message().content()).contains("Hello! How can I assist you today?");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS);
        FakeOpenAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/chat/completions");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer sk-upstream-key");
        assertThat(r.headers().toString()).doesNotContain("client-side-key");
    }

    @Test
    void streamingChatArrivesChunkByChunkWithoutTheInjectedUsageChunk() {
        List<ChatCompletionChunk> chunks = stream(ask("gpt-4o").build());
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello! How can I assist you today?");
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamingClientThatAsksForUsageGetsTheUsageChunk() {
        List<ChatCompletionChunk> chunks = stream(ask("gpt-4o")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(OpenAiWire.PROMPT_TOKENS);
    }

    @Test
    void aliasRenamesTheModelUpstream() {
        client.chat().completions().create(ask("gpt-4").build());
        assertThat(upstream.last().body().path("model").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void toolCallsComeBackWholeAndStreamed() {
        ChatCompletionCreateParams params = ask("gpt-4o").addTool(weatherTool()).build();
        ChatCompletion c = client.chat().completions().create(params);
        var call = c.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).contains("Boston");
        assertThat(upstream.last().body().path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");

        StringBuilder args = new StringBuilder();
        String[] name = new String[1];
        stream(params).forEach(chunk -> chunk.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(tc -> {
            tc.function().flatMap(f -> f.name()).ifPresent(n -> name[0] = n);
            tc.function().flatMap(f -> f.arguments()).ifPresent(args::append);
        }))));
        assertThat(name[0]).isEqualTo("get_weather");
        assertThat(args.toString()).isEqualTo("{\"location\":\"Boston, MA\"}");
    }

    @Test
    void embeddings() {
        CreateEmbeddingResponse e = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").input("The food was delicious").build());
        assertThat(e.data()).hasSize(1);
        assertThat(e.usage().promptTokens()).isEqualTo(8);
        assertThat(upstream.last().path()).isEqualTo("/v1/embeddings");
    }

    @Test
    void modelListShowsConfiguredNamesAndRetrieveWorks() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("gpt-4", "corp-gpt", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
        assertThat(client.models().retrieve("gpt-4o-mini").ownedBy()).isEqualTo("openai");
    }

    @Test
    void azureGetsDeploymentUrlApiVersionAndApiKeyHeader() {
        client.chat().completions().create(ask("corp-gpt").build());
        FakeOpenAi.Received r = azure.last();
        assertThat(r.path()).isEqualTo("/openai/deployments/gpt-4o-deployment/chat/completions");
        assertThat(r.headers().get("api-key")).isEqualTo("azure-secret");
        assertThat(r.headers().get("authorization")).isNull();
    }

    static List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            s.stream().forEach(chunks::add);
        }
        return chunks;
    }

    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("Get the weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("location", Map.of("type", "string"))))
                        .build())
                .build()).build();
    }
}
