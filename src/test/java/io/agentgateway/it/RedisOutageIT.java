package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.RedisServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code rate_limit_store.failure_mode} against a real redis-server that is stopped, restarted and
 * frozen during the run: fail_open keeps counting locally and replays the debits when Redis is
 * back; fail_closed answers 503 until it is.
 */
class RedisOutageIT {
    static RedisServer redis;
    static FakeOpenAi upstream;
    static TestGateway open;
    static TestGateway closed;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(null);
        upstream = FakeOpenAi.start();
        ManualClock clock = ManualClock.at("2026-11-26T10:15:00Z");
        Map<String, String> env = Map.of("STOPPED_KEY", "sk-stopped-9f", "FROZEN_KEY", "sk-frozen-9f", "CLOSED_KEY", "sk-closed-9f");
        open = TestGateway.start(config("fail_open", "open:", "300ms"), env, clock);
        closed = TestGateway.start(config("fail_closed", "closed:", "2s"), env, clock);
    }

    static String config(String failureMode, String prefix, String timeout) {
        return TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: stopped, key_secret: stopped-key, namespace: stopped}
                      - {name: frozen, key_secret: frozen-key, namespace: frozen}
                      - {name: closed, key_secret: closed-key, namespace: closed}
                rate_limiting:
                  - name: twenty-requests
                    limit: 20
                    window: 1h
                    limit_by: requests
                rate_limit_store:
                  type: redis
                  url: %s
                  failure_mode: %s
                  key_prefix: "%s"
                  timeout: %s
                """.formatted(redis.url(), failureMode, prefix, timeout);
    }

    /** Each test has its own namespace, so its own counter; only a failed test can leave Redis stopped or frozen. */
    @AfterEach
    void redisRuns() {
        redis.resume();
        redis.start();
    }

    @AfterAll
    static void stop() {
        open.close();
        closed.close();
        upstream.close();
        redis.close();
    }

    static OpenAIClient client(TestGateway gateway, String key) {
        return gateway.openAi(key);
    }

    static final ChatCompletionCreateParams ASK = ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("hi").build();

    /** One chat call; its HTTP status. */
    static int call(TestGateway gateway, String key) {
        try {
            client(gateway, key).chat().completions().create(ASK);
            return 200;
        } catch (com.openai.errors.OpenAIServiceException e) {
            return e.statusCode();
        }
    }

    @Test
    void failOpenCountsLocallyWhileRedisIsDownAndReplaysWhenItReturns() {
        for (int i = 0; i < 5; i++) {
            assertThat(call(open, "sk-stopped-9f")).isEqualTo(200);
        }
        assertThat(redis.sum("open:{stopped}*")).isEqualTo(5);

        redis.stop();
        for (int i = 0; i < 15; i++) {
            assertThat(call(open, "sk-stopped-9f")).as("call %d while Redis is down", i).isEqualTo(200);
        }
        assertThatThrownBy(() -> client(open, "sk-stopped-9f").chat().completions().create(ASK))
                .as("the replica still enforces the limit from what it last saw plus its own count")
                .isInstanceOf(RateLimitException.class).hasMessageContaining("twenty-requests");

        redis.start();
        Await.until("the 15 local debits are replayed to Redis", () -> redis.sum("open:{stopped}*") == 20);
        assertThat(redis.keys("open:{stopped}*")).hasSize(1);
        assertThat(call(open, "sk-stopped-9f")).isEqualTo(429);
        assertThat(redis.sum("open:{stopped}*")).isEqualTo(20);
    }

    @Test
    void failOpenCountsATimedOutReservationOnceEvenWhenRedisAppliesItLate() {
        assertThat(call(open, "sk-frozen-9f")).isEqualTo(200);
        assertThat(redis.sum("open:{frozen}*")).isEqualTo(1);

        redis.pause();
        for (int i = 0; i < 3; i++) {
            assertThat(call(open, "sk-frozen-9f")).as("call %d while Redis is frozen", i).isEqualTo(200);
        }
        redis.resume();
        // Redis now also runs the reservation it was sent before the timeout: the gateway takes
        // its local copy of that one back, so the total is 4, never 5.
        Await.until("the frozen period is settled in Redis", () -> redis.sum("open:{frozen}*") == 4);
        Await.until("the replica counts in Redis again", () -> call(open, "sk-frozen-9f") == 200);
        assertThat(redis.sum("open:{frozen}*")).isEqualTo(5);
    }

    @Test
    void failClosedAnswers503WhileRedisIsDownAndRecoversOnItsOwn() {
        assertThat(call(closed, "sk-closed-9f")).isEqualTo(200);
        assertThat(call(closed, "sk-closed-9f")).isEqualTo(200);
        assertThat(redis.sum("closed:{closed}*")).isEqualTo(2);

        redis.stop();
        assertThatThrownBy(() -> client(closed, "sk-closed-9f").chat().completions().create(ASK))
                .isInstanceOfSatisfying(InternalServerException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.code()).contains("budget_store_unavailable");
                    assertThat(e.getMessage()).contains("fail_closed").doesNotContain("sk-closed-9f");
                });
        int before = upstream.received().size();
        assertThat(call(closed, "sk-closed-9f")).isEqualTo(503);
        assertThat(upstream.received()).as("a refused call does not reach the upstream").hasSize(before);

        redis.start();
        Await.until("the fail_closed replica serves again", () -> call(closed, "sk-closed-9f") == 200);
        assertThat(redis.sum("closed:{closed}*")).isEqualTo(3);
    }
}
