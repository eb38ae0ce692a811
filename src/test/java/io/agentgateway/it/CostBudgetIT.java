package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.RedisServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code limit_by: cost}: a namespace's spend in US dollars, priced from {@code llm.pricing}, held
 * to its limit with the in-memory store and with a real redis-server; driven by openai-java.
 */
class CostBudgetIT {
    /** $1000 per million input tokens and $2000 per million output tokens: a call costs $0.039. */
    static final BigDecimal COST_PER_CALL = BigDecimal.valueOf(OpenAiWire.PROMPT_TOKENS * 1000L + OpenAiWire.COMPLETION_TOKENS * 2000L, 6);
    static RedisServer redis;
    static FakeOpenAi upstream;
    static TestGateway memory;
    static TestGateway redisBacked;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(null);
        upstream = FakeOpenAi.start();
        String yaml = TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s}
                  models:
                    - {name: house-model, provider: openai, model: gpt-4o}
                  pricing:
                    - {model: gpt-4o, input: 1000, output: 2000}
                """ + TestGateway.TEAM_KEYS + """
                rate_limiting:
                  - name: spend
                    match: {kubernetes: {namespace: team-a}}
                    limit: 0.10
                    window: 1h
                    limit_by: cost
                %s
                """;
        Map<String, String> env = TestGateway.TEAM_KEYS_ENV;
        memory = TestGateway.start(yaml.formatted(upstream.baseUrl(), ""), env, ManualClock.at("2026-11-26T10:15:00Z"));
        redisBacked = TestGateway.start(yaml.formatted(upstream.baseUrl(), "rate_limit_store: {type: redis, url: " + redis.url() + "}"),
                env, ManualClock.at("2026-11-26T10:15:00Z"));
    }

    @AfterAll
    static void stop() {
        memory.close();
        redisBacked.close();
        upstream.close();
        redis.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aCostRuleRefusesWith429OnceTheNamespacesSpendPassesItsLimit(String store) throws Exception {
        TestGateway gateway = store.equals("memory") ? memory : redisBacked;
        OpenAIClient client = gateway.openAi("key-a");
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("house-model").addUserMessage("hi")
                .maxCompletionTokens(5).build();
        BigDecimal spent = BigDecimal.ZERO;
        int answered = 0;
        while (spent.compareTo(new BigDecimal("0.10")) < 0) {
            HttpResponseFor<ChatCompletion> r = client.chat().completions().withRawResponse().create(ask);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().values("x-ratelimit-limit-cost")).containsExactly("0.1");
            assertThat(new BigDecimal(r.headers().values("x-ratelimit-remaining-cost").get(0)))
                    .isLessThan(new BigDecimal("0.10").subtract(spent));
            r.parse();
            spent = spent.add(COST_PER_CALL);
            answered++;
        }
        // $0.039 a call: the third call takes the spend to $0.117, past the $0.10 limit
        assertThat(answered).isEqualTo(3);
        assertThatThrownBy(() -> client.chat().completions().create(ask))
                .isInstanceOfSatisfying(RateLimitException.class, e -> assertThat(e.getMessage())
                        .contains("rule spend allows $0.1 per 1h for namespace team-a").contains("$0 remain"));

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("agentgateway_cost_usd_total\\{model=\"house-model\",namespace=\"team-a\"} 0\\.11(7|699)")
                .contains("agentgateway_budget_remaining{limit_by=\"cost\",namespace=\"team-a\",rule=\"spend\"} 0.0");
    }
}
