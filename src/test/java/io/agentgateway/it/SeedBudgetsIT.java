package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.SeedFragments;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seed's two budgets (dev-team 1000000 and production 5000000 tokens a day) end to end through
 * the LLM listener, with the memory store and a clock the test moves: OpenAI's rate-limit headers,
 * the 429 with Retry-After, the daily reset at 00:00 UTC, a stream the client abandons, reloads.
 * Each test starts on a day of its own, so each has fresh windows.
 */
class SeedBudgetsIT {
    static final long USED_PER_CALL = OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS;
    static final ManualClock clock = ManualClock.at("2026-11-26T18:00:00Z");
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static Instant nextDay = Instant.parse("2026-11-26T18:00:00Z");
    final HttpClient http = HttpClient.newHttpClient();

    static final String SEED_BUDGETS = SeedFragments.BUDGETS;

    static String config(String budgets) {
        return TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}
                      - {name: prod, key_secret: prod-key, namespace: production, service_account: app}
                """ + budgets;
    }

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(config(SEED_BUDGETS), Map.of("DEV_KEY", "sk-dev", "PROD_KEY", "sk-prod"), clock);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    /** A new day at 18:00 UTC for each test: 6 hours before its windows reset. */
    @BeforeEach
    void newDay() throws Exception {
        nextDay = nextDay.plus(Duration.ofDays(1));
        clock.set(nextDay);
        gateway.reload(config(SEED_BUDGETS));
    }

    static OpenAIClient client(String key) {
        return gateway.openAi(key);
    }

    static ChatCompletionCreateParams ask(long maxTokens) {
        return ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("Say hello").maxCompletionTokens(maxTokens).build();
    }

    static long header(com.openai.core.http.Headers headers, String name) {
        assertThat(headers.values(name)).as("header %s", name).hasSize(1);
        return Long.parseLong(headers.values(name).get(0));
    }

    /** {@code agentgateway_budget_remaining} for a rule and namespace, from the admin port's /metrics. */
    double remainingGauge(String rule, String namespace) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^agentgateway_budget_remaining\\{limit_by=\"tokens\",namespace=\"" + namespace
                    + "\",rule=\"" + rule + "\"} (\\S+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One call; returns what the gateway reserved for it (limit minus remaining, on a fresh counter). */
    long reservedBy(String key, long maxTokens, long expectedLimit) {
        HttpResponseFor<ChatCompletion> r = client(key).withRawResponse().chat().completions().create(ask(maxTokens));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r.headers(), "x-ratelimit-limit-tokens")).isEqualTo(expectedLimit);
        assertThat(r.headers().values("x-ratelimit-reset-tokens")).containsExactly("6h0m0s");
        assertThat(r.headers().values("x-ratelimit-limit-requests")).as("no request budget applies").isEmpty();
        r.parse();
        return expectedLimit - header(r.headers(), "x-ratelimit-remaining-tokens");
    }

    @Test
    void eachNamespaceHasItsOwnDailyBudgetChargedWithTheRealUsage() {
        long reserved = reservedBy("sk-dev", 100, 1_000_000);
        assertThat(reserved).as("prompt estimate + max tokens").isGreaterThan(100);
        Await.until("the first call is charged its real usage", () -> remainingGauge("dev-team-budget", "dev-team") == 1_000_000 - USED_PER_CALL);

        HttpResponseFor<ChatCompletion> second = client("sk-dev").withRawResponse().chat().completions().create(ask(100));
        assertThat(header(second.headers(), "x-ratelimit-remaining-tokens")).isEqualTo(1_000_000 - USED_PER_CALL - reserved);

        assertThat(reservedBy("sk-prod", 100, 5_000_000)).as("production counts apart from dev-team").isEqualTo(reserved);
    }

    @Test
    void aCallThatDoesNotFitIs429WithRetryAfterUntilMidnightAndPassesAfterTheReset() throws Exception {
        long reserved = reservedBy("sk-dev", 100, 1_000_000);
        long prompt = reserved - 100;
        Await.until("the first call is settled", () -> remainingGauge("dev-team-budget", "dev-team") == 1_000_000 - USED_PER_CALL);
        long tooMuch = 1_000_000 - USED_PER_CALL - prompt + 1;
        int before = upstream.received().size();

        assertThatThrownBy(() -> client("sk-dev").chat().completions().create(ask(tooMuch)))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.headers().values("retry-after")).containsExactly("21600");
                    assertThat(e.headers().values("x-ratelimit-limit-tokens")).containsExactly("1000000");
                    assertThat(e.headers().values("x-ratelimit-remaining-tokens")).containsExactly(Long.toString(1_000_000 - USED_PER_CALL));
                    assertThat(e.headers().values("x-ratelimit-reset-tokens")).containsExactly("6h0m0s");
                    assertThat(e.type()).contains("rate_limit_exceeded");
                    assertThat(e.code()).contains("rate_limit_exceeded");
                    assertThat(e.getMessage()).contains("dev-team-budget", "dev-team", "1000000 tokens per 24h");
                });
        assertThat(upstream.received()).as("a refused call is not forwarded").hasSize(before);
        assertThat(metrics()).contains("agentgateway_ratelimit_rejections_total{namespace=\"dev-team\",rule=\"dev-team-budget\"}");

        clock.set(nextDay.plus(Duration.ofHours(6)));
        HttpResponseFor<ChatCompletion> after = client("sk-dev").withRawResponse().chat().completions().create(ask(tooMuch));
        assertThat(after.statusCode()).as("the same call fits the next day's budget").isEqualTo(200);
        assertThat(after.headers().values("x-ratelimit-reset-tokens")).containsExactly("24h0m0s");
        assertThat(header(after.headers(), "x-ratelimit-remaining-tokens")).isEqualTo(1_000_000 - prompt - tooMuch);
    }

    @Test
    void aStreamTheClientAbandonsIsChargedForWhatWasDelivered() {
        upstream.always(new FakeOpenAi.SlowStream("one two three four five six seven eight nine ten eleven twelve "
                + "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty", 100));
        try {
            HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw = client("sk-prod").withRawResponse().chat()
                    .completions().createStreaming(ask(1000));
            long reserved = 5_000_000 - header(raw.headers(), "x-ratelimit-remaining-tokens");
            long prompt = reserved - 1000;
            try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
                Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
                for (int i = 0; i < 3; i++) {
                    assertThat(chunks.hasNext()).isTrue();
                    chunks.next();
                }
            }
            Await.until("the abandoned stream is settled", () -> remainingGauge("prod-budget", "production") > 5_000_000 - reserved);
            Await.until("the gateway stopped reading the upstream", () -> upstream.openResponses().isEmpty());
            long charged = 5_000_000 - (long) remainingGauge("prod-budget", "production");
            assertThat(charged).as("the prompt and what was delivered, not the whole reservation")
                    .isGreaterThan(prompt).isLessThan(prompt + 30);

            HttpResponseFor<ChatCompletion> next = client("sk-prod").withRawResponse().chat().completions().create(ask(1000));
            assertThat(header(next.headers(), "x-ratelimit-remaining-tokens")).isEqualTo(5_000_000 - charged - reserved);
        } finally {
            upstream.always(new FakeOpenAi.Answer("Hello! How can I assist you today?"));
        }
    }

    @Test
    void budgetsSurviveAConfigReload() throws Exception {
        reservedBy("sk-dev", 100, 1_000_000);
        Await.until("the call is settled", () -> remainingGauge("dev-team-budget", "dev-team") == 1_000_000 - USED_PER_CALL);

        gateway.reload(config(SEED_BUDGETS.replace("limit: 1000000 # tokens per day", "limit: 2000000") + """
                  - name: dev-calls
                    match: {kubernetes: {namespace: dev-team}}
                    limit: 100
                    window: 1h
                    limit_by: requests
                """));
        HttpResponseFor<ChatCompletion> r = client("sk-dev").withRawResponse().chat().completions().create(ask(100));
        long reserved = 2_000_000 - USED_PER_CALL - header(r.headers(), "x-ratelimit-remaining-tokens");
        assertThat(header(r.headers(), "x-ratelimit-limit-tokens")).as("the new limit applies to the same counter").isEqualTo(2_000_000);
        assertThat(reserved).as("what was used before the reload still counts").isBetween(101L, 200L);
        assertThat(header(r.headers(), "x-ratelimit-limit-requests")).isEqualTo(100);
        assertThat(header(r.headers(), "x-ratelimit-remaining-requests")).isEqualTo(99);
        assertThat(r.headers().values("x-ratelimit-reset-requests")).containsExactly("1h0m0s");
    }
}
