package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.OpenAiWire;
import io.agentgateway.testing.RedisServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two gateway replicas sharing one real redis-server (with a password from a secret): a budget
 * split across both is enforced once, not once per replica.
 */
class RedisBudgetsIT {
    static final int TOKENS_PER_CALL = OpenAiWire.PROMPT_TOKENS + OpenAiWire.COMPLETION_TOKENS;
    static RedisServer redis;
    static FakeOpenAi upstream;
    static TestGateway replicaA;
    static TestGateway replicaB;

    @BeforeAll
    static void start() {
        redis = RedisServer.start("s3cret-redis-pass");
        upstream = FakeOpenAi.start();
        ManualClock clock = ManualClock.at("2026-11-26T10:15:00Z");
        String yaml = TestGateway.llmConfig(upstream.baseUrl()) + TestGateway.TEAM_KEYS + """
                rate_limiting:
                  - name: twenty-requests
                    match: {kubernetes: {namespace: team-a}}
                    limit: 20
                    window: 1h
                    limit_by: requests
                  - name: token-budget
                    match: {kubernetes: {namespace: team-b}}
                    limit: %d
                    window: 1h
                    limit_by: tokens
                rate_limit_store:
                  type: redis
                  url: %s
                  password_secret: redis-auth
                  key_prefix: "replicas:"
                  timeout: 5s
                """.formatted(10 * TOKENS_PER_CALL, redis.url());
        Map<String, String> env = withRedisAuth("s3cret-redis-pass");
        replicaA = TestGateway.start(yaml, env, clock);
        replicaB = TestGateway.start(yaml, env, clock);
    }

    static Map<String, String> withRedisAuth(String password) {
        Map<String, String> env = new HashMap<>(TestGateway.TEAM_KEYS_ENV);
        env.put("REDIS_AUTH", password);
        return env;
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
        upstream.close();
        redis.close();
    }

    static OpenAIClient client(TestGateway gateway, String key) {
        return gateway.openAi(key);
    }

    static ChatCompletionCreateParams ask(long maxTokens) {
        return ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("hi").maxCompletionTokens(maxTokens).build();
    }

    /** Sends {@code perReplica} requests to each replica at once; returns how many were answered 200. */
    static int admitted(String key, int perReplica, long maxTokens) throws Exception {
        List<OpenAIClient> clients = List.of(client(replicaA, key), client(replicaB, key));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 2 * perReplica; i++) {
                OpenAIClient c = clients.get(i % 2);
                calls.add(pool.submit(() -> {
                    try {
                        c.chat().completions().create(ask(maxTokens));
                        ok.incrementAndGet();
                    } catch (RateLimitException e) {
                        assertThat(e.type()).contains("rate_limit_exceeded");
                        limited.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(ok.get() + limited.get()).isEqualTo(2 * perReplica);
        return ok.get();
    }

    @Test
    void twentyRequestBudgetAcrossTwoReplicasAdmitsExactlyTwenty() throws Exception {
        assertThat(admitted("key-a", 20, 16)).isEqualTo(20);
        assertThat(redis.keys("replicas:{team-a}:twenty-requests:*")).hasSize(1);
        assertThat(redis.sum("replicas:{team-a}:*")).isEqualTo(20);
        long ttl = redis.command(io.vertx.redis.client.Command.PTTL, redis.keys("replicas:{team-a}:*").get(0)).toLong();
        assertThat(ttl).as("the key expires when its window (10:00-11:00 on the gateway's clock) ends")
                .isGreaterThan(0).isLessThanOrEqualTo(45 * 60_000L);
    }

    @Test
    void aWrongRedisPasswordIsAnOutageAndIsNeverShown() {
        String yaml = TestGateway.llmConfig(upstream.baseUrl()) + TestGateway.TEAM_KEYS + """
                rate_limiting:
                  - {name: calls, limit: 5, window: 1h, limit_by: requests}
                rate_limit_store:
                  type: redis
                  url: %s
                  password_secret: redis-auth
                  failure_mode: fail_closed
                """.formatted(redis.url());
        try (TestGateway wrong = TestGateway.start(yaml, withRedisAuth("not-the-pass-77"),
                ManualClock.at("2026-11-26T10:15:00Z"))) {
            assertThatThrownBy(() -> client(wrong, "key-a").chat().completions().create(ask(16)))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.code()).contains("budget_store_unavailable");
                        assertThat(e.getMessage()).contains("redis://127.0.0.1:" + redis.port())
                                .doesNotContain("not-the-pass-77").doesNotContain("s3cret-redis-pass");
                    });
        }
    }

    @Test
    void tokenBudgetAcrossTwoReplicasAdmitsExactlyItsTokens() throws Exception {
        // Learn what the gateway reserves for this prompt from the headers of a first call, then
        // ask for max tokens such that the reserve equals the usage the upstream reports: every
        // admitted call then costs exactly TOKENS_PER_CALL, in flight and after.
        HttpResponseFor<ChatCompletion> first = client(replicaA, "key-b").withRawResponse().chat().completions().create(ask(10));
        assertThat(first.statusCode()).isEqualTo(200);
        long limit = Long.parseLong(first.headers().values("x-ratelimit-limit-tokens").get(0));
        long reserved = limit - Long.parseLong(first.headers().values("x-ratelimit-remaining-tokens").get(0));
        long prompt = reserved - 10;
        assertThat(prompt).isBetween(1L, (long) TOKENS_PER_CALL - 1);
        Await.until("the first call is settled in Redis", () -> redis.sum("replicas:{team-b}:*") == TOKENS_PER_CALL);

        assertThat(admitted("key-b", 10, TOKENS_PER_CALL - prompt)).isEqualTo(9);
        Await.until("every call is settled in Redis", () -> redis.sum("replicas:{team-b}:*") == limit);
        assertThat(redis.sum("replicas:{team-b}:*")).isEqualTo(10L * TOKENS_PER_CALL);
    }
}
