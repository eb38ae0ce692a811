package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.BudgetGauge;
import io.agentgateway.testing.FakeBedrock;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The openai-java client talking to Amazon Bedrock through the gateway: Converse and
 * ConverseStream (binary event stream), every request SigV4-signed with keys (and a session token)
 * from a Kubernetes Secret and checked by the upstream with the AWS SDK's signer, the
 * namespace's token budget charged with what Bedrock reported.
 */
class BedrockProviderIT {
    static final String MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
    static final long BUDGET = 100_000;
    @TempDir
    static Path secrets;
    static FakeBedrock upstream;
    static TestGateway gateway;
    static OpenAIClient client;
    static BudgetGauge budget;

    @BeforeAll
    static void start() throws IOException {
        upstream = FakeBedrock.start("eu-west-3", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-1");
        write("bedrock-keys", "access_key_id", "AKIDEXAMPLE");
        write("bedrock-keys", "secret_access_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n");
        write("bedrock-keys", "session_token", "session-token-1");
        write("wrong-keys", "access_key_id", "AKIDEXAMPLE");
        write("wrong-keys", "secret_access_key", "not-the-secret");
        write("agent-key", "api-key", "sk-agent");
        write("other-key", "api-key", "sk-other");
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                secrets_dir: %s
                llm:
                  providers:
                    - name: bedrock
                      type: bedrock
                      region: eu-west-3
                      base_url: %s
                      credentials_secret: bedrock-keys
                      models: ["anthropic.*"]
                    - name: bedrock-misconfigured
                      type: bedrock
                      region: eu-west-3
                      base_url: %s
                      credentials_secret: wrong-keys
                      models: ["wrong.*"]
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: agent, key_secret: agent-key, namespace: team-a, service_account: agent}
                      - {name: other, key_secret: other-key, namespace: team-b, service_account: agent}
                rate_limiting:
                  - name: team-a-tokens
                    match: {kubernetes: {namespace: team-a}}
                    limit: %d
                    window: 24h
                    limit_by: tokens
                """.formatted(secrets, upstream.baseUrl(), upstream.baseUrl(), BUDGET), Map.of(), Clock.systemUTC());
        budget = new BudgetGauge(gateway, "team-a-tokens", "team-a", BUDGET);
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
                .maxCompletionTokens(50);
    }

    @Test
    void chatGoesToConverseSignedAndComesBackAsAChatCompletion() {
        double before = budget.remaining();
        ChatCompletion c = client.chat().completions().create(ask(MODEL).build());
        assertThat(c.choices().get(0).message().content()).contains("Hello from Bedrock.");
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("stop");
        assertThat(c.model()).isEqualTo(MODEL);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(FakeBedrock.INPUT_TOKENS);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(FakeBedrock.OUTPUT_TOKENS);
        FakeBedrock.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
        assertThat(r.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                .contains("/eu-west-3/bedrock/aws4_request");
        assertThat(r.headers().get("x-amz-security-token")).isEqualTo("session-token-1");
        assertThat(r.body().path("system").get(0).path("text").asText()).isEqualTo("You are terse.");
        assertThat(r.body().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(50);
        Await.until("the call is charged what Bedrock reported",
                () -> before - budget.remaining() == FakeBedrock.INPUT_TOKENS + FakeBedrock.OUTPUT_TOKENS);
    }

    @Test
    void streamGoesToConverseStreamAndComesBackAsChunks() {
        double before = budget.remaining();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(MODEL)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(ch -> ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello from Bedrock.");
        assertThat(chunks).anyMatch(ch -> ch.choices().stream().anyMatch(choice -> choice.finishReason().isPresent()));
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(FakeBedrock.INPUT_TOKENS);
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(FakeBedrock.OUTPUT_TOKENS);
        FakeBedrock.Received r = upstream.last();
        assertThat(r.path()).endsWith("/converse-stream");
        assertThat(r.headers().get("accept")).isEqualTo("application/vnd.amazon.eventstream");
        Await.until("the stream is charged what Bedrock reported",
                () -> before - budget.remaining() == FakeBedrock.INPUT_TOKENS + FakeBedrock.OUTPUT_TOKENS);
    }

    @Test
    void aWrongSecretKeyIsRefusedByTheUpstreamAndTheClientIsToldWhy() {
        OpenAIClient other = gateway.openAi("sk-other");
        assertThatThrownBy(() -> other.chat().completions().create(ask("wrong.model").build()))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("signature we calculated does not match");
        assertThat(upstream.last().headers().get("authorization")).doesNotContain("not-the-secret");
    }

}
