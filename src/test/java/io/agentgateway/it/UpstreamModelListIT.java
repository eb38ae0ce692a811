package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.models.models.Model;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/models} for a provider whose {@code models} are globs: the provider's own list,
 * narrowed by its globs and by the caller's policies, read once and cached; read with openai-java.
 */
class UpstreamModelListIT {
    static FakeOpenAi upstream;
    static FakeOpenAi down;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start().models(List.of("inhouse-7b", "inhouse-70b", "gpt-4o", "inhouse-secret"));
        down = FakeOpenAi.start().always(new FakeOpenAi.Status(500, "application/json", "{\"error\":{\"message\":\"down\"}}"));
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: inhouse, type: openai_compatible, base_url: %s, models: ["inhouse-*"]}
                    - {name: broken, type: openai_compatible, base_url: %s, models: ["broken-*"]}
                  models:
                    - {name: fast, provider: inhouse, model: inhouse-7b}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: a, key_secret: team-a-key, namespace: team-a}
                authorization:
                  default_action: deny
                  policies:
                    - name: team-a-models
                      match: {kubernetes: {namespace: team-a}}
                      resources: ["model:inhouse-*", "model:fast"]
                      action: allow
                    - name: no-secrets
                      match: {kubernetes: {namespace: team-a}}
                      resources: ["model:inhouse-secret"]
                      action: deny
                """.formatted(upstream.baseUrl(), down.baseUrl()), Map.of("TEAM_A_KEY", "key-a"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        down.close();
    }

    @Test
    void theProvidersOwnListIsShownAsTheCallersPoliciesAllowAndFetchedOnce() {
        OpenAIClient client = gateway.openAi("key-a");
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("fast", "inhouse-7b", "inhouse-70b");
        assertThat(client.models().list().data()).extracting(Model::ownedBy).containsOnly("inhouse");
        long fetches = upstream.received().stream().filter(r -> r.method().equals("GET")).count();
        assertThat(fetches).as("the list is cached").isEqualTo(1);
        assertThat(upstream.last().headers().get("accept")).isEqualTo("application/json");
        assertThat(upstream.last().headers().get("authorization")).isNull();
        assertThat(down.received()).as("a provider whose list fails contributes nothing, and is not asked again at once")
                .hasSize(1);
    }
}
