package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.SeedFragments;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's namespace-aware policies ({@code prod-policy}, {@code dev-policy}, written exactly as
 * the user's description writes them) plus {@code when:} header conditions, end to end through
 * the LLM listener with the openai-java client. API keys stand in for service-account tokens:
 * each maps to a namespace, which is all the policies look at.
 */
class SeedPoliciesIT {
    static final String POLICIES = SeedFragments.POLICIES + """
                - name: prod-gpt-4o-in-prod-env
                  match: {kubernetes: {namespace: production}}
                  resources: ["model:gpt-4o"]
                  action: allow
                  when: 'request.headers["x-env"] == "prod"'
                - name: no-dev-in-prod-env
                  match: {kubernetes: {namespace: development}}
                  resources: ["model:*"]
                  action: deny
                  when: '"x-env" in request.headers && request.headers["x-env"] == "prod"'
            """;

    static FakeOpenAi upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(config(POLICIES),
                Map.of("PROD_KEY", "prod-secret", "DEV_KEY", "dev-secret", "TEAM_KEY", "team-secret"), Clock.systemUTC());
    }

    static String config(String authorization) {
        return TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s, models: ["gpt-4", "gpt-4o", "gpt-4o-mini"]}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: prod, key_secret: prod-key, namespace: production, service_account: app}
                      - {name: dev, key_secret: dev-key, namespace: development}
                      - {name: team, key_secret: team-key, namespace: dev-team, service_account: code-assistant}
                """.formatted(upstream.baseUrl()) + authorization;
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static OpenAIClient client(String key, String... headers) {
        OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(gateway.url("llm") + "/v1").maxRetries(0);
        for (int i = 0; i < headers.length; i += 2) {
            b.putHeader(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static String chat(OpenAIClient client, String model) {
        return client.chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build())
                .choices().get(0).message().content().orElseThrow();
    }

    static long upstreamCallsFor(String model) {
        return upstream.received().stream().filter(r -> r.body() != null && model.equals(r.body().path("model").asText())).count();
    }

    static List<String> models(OpenAIClient client) {
        return client.models().list().data().stream().map(Model::id).toList();
    }

    @Test
    void productionMayUseGpt4() {
        assertThat(chat(client("prod-secret"), "gpt-4")).isNotBlank();
        assertThat(upstream.last().body().path("model").asText()).isEqualTo("gpt-4");
    }

    @Test
    void productionNeedsTheProdHeaderForGpt4o() {
        long before = upstreamCallsFor("gpt-4o");
        assertThatThrownBy(() -> chat(client("prod-secret"), "gpt-4o"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("namespace \"production\" may not use model:gpt-4o (policy default)");
        assertThatThrownBy(() -> chat(client("prod-secret", "x-env", "staging"), "gpt-4o"))
                .isInstanceOf(PermissionDeniedException.class);
        assertThat(upstreamCallsFor("gpt-4o")).as("refused calls never reach the upstream").isEqualTo(before);

        assertThat(chat(client("prod-secret", "X-Env", "prod"), "gpt-4o")).isNotBlank();
        assertThat(upstreamCallsFor("gpt-4o")).isEqualTo(before + 1);
        // the client's Authorization never goes upstream, whatever the policies looked at
        assertThat(String.valueOf(upstream.last().headers().get("authorization"))).doesNotContain("prod-secret");
    }

    @Test
    void productionMayNotUseOtherModelsEvenWithTheHeader() {
        assertThatThrownBy(() -> chat(client("prod-secret", "x-env", "prod"), "gpt-4o-mini"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("model:gpt-4o-mini");
    }

    @Test
    void developmentMayUseAnyModelUnlessItClaimsTheProdEnvironment() {
        assertThat(chat(client("dev-secret"), "gpt-4o-mini")).isNotBlank();
        assertThat(chat(client("dev-secret", "x-env", "dev"), "gpt-4")).isNotBlank();
        assertThatThrownBy(() -> chat(client("dev-secret", "x-env", "prod"), "gpt-4"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("(policy no-dev-in-prod-env)");
    }

    @Test
    void namespacesWithoutAPolicyAreDenied() {
        assertThatThrownBy(() -> chat(client("team-secret"), "gpt-4"))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("namespace \"dev-team\" may not use model:gpt-4 (policy default)");
    }

    @Test
    void modelListShowsEachNamespaceOnlyItsModels() {
        assertThat(models(client("prod-secret"))).containsExactly("gpt-4");
        assertThat(models(client("prod-secret", "x-env", "prod"))).containsExactly("gpt-4", "gpt-4o");
        assertThat(models(client("dev-secret"))).containsExactly("gpt-4", "gpt-4o", "gpt-4o-mini");
        assertThat(models(client("dev-secret", "x-env", "prod"))).isEmpty();
        assertThat(models(client("team-secret"))).isEmpty();

        assertThat(client("prod-secret").models().retrieve("gpt-4").id()).isEqualTo("gpt-4");
        assertThatThrownBy(() -> client("prod-secret").models().retrieve("gpt-4o")).isInstanceOf(NotFoundException.class);
        assertThat(client("dev-secret").models().retrieve("gpt-4o").id()).isEqualTo("gpt-4o");
    }

    @Test
    void decisionsAreCountedByTheirPolicy() throws Exception {
        chat(client("prod-secret", "x-env", "prod"), "gpt-4o");
        assertThatThrownBy(() -> chat(client("team-secret"), "gpt-4")).isInstanceOf(PermissionDeniedException.class);
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics.lines().filter(l -> l.startsWith("agentgateway_authz_decisions_total")))
                .anySatisfy(l -> assertThat(l).contains("decision=\"allow\"", "policy=\"prod-gpt-4o-in-prod-env\""))
                .anySatisfy(l -> assertThat(l).contains("decision=\"deny\"", "policy=\"default\""));
    }

    @Test
    void aReloadWithAConditionThatDoesNotCompileIsRefusedAndTheRunningPoliciesStay() {
        String broken = POLICIES.replace("request.headers[\"x-env\"] == \"prod\"'", "request.headers[\"x-env\"] ==  '");
        assertThat(broken).isNotEqualTo(POLICIES);
        assertThatThrownBy(() -> gateway.reload(config(broken)))
                .hasMessageContaining("authorization.policies[2].when")
                .hasMessageContaining("does not compile");
        assertThat(chat(client("prod-secret", "x-env", "prod"), "gpt-4o")).isNotBlank();
        assertThatThrownBy(() -> chat(client("prod-secret"), "gpt-4o")).isInstanceOf(PermissionDeniedException.class);
    }
}
