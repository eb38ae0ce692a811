package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API keys map callers to namespaces; namespace-aware policies decide per model. */
class ApiKeyAndPolicyIT {
    static FakeOpenAi upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: prod, key_secret: prod-key, namespace: production, service_account: app}
                      - {name: dev, key_hash: "sha256:%s", namespace: development}
                authorization:
                  policies:
                    - name: prod-policy
                      match: {kubernetes: {namespace: production}}
                      resources: ["model:gpt-4"]
                      action: allow
                    - name: dev-policy
                      match: {kubernetes: {namespace: development}}
                      resources: ["model:*"]
                      action: allow
                """.formatted(sha256("dev-secret")), Map.of("PROD_KEY", "prod-secret"), Clock.systemUTC());
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static OpenAIClient client(String key) {
        return gateway.openAi(key);
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    @Test
    void productionMayUseOnlyGpt4() {
        assertThat(client("prod-secret").chat().completions().create(ask("gpt-4")).choices()).hasSize(1);
        assertThatThrownBy(() -> client("prod-secret").chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("production").hasMessageContaining("model:gpt-4o");
    }

    @Test
    void developmentMayUseAnyModel() {
        assertThat(client("dev-secret").chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
    }

    @Test
    void unknownKeyIsUnauthorized() {
        assertThatThrownBy(() -> client("wrong").chat().completions().create(ask("gpt-4")))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void modelListShowsOnlyAllowedModels() {
        // providers serve "*", so nothing is listable by name; the list is filtered, not failed
        assertThat(client("prod-secret").models().list().data()).isEmpty();
    }
}
