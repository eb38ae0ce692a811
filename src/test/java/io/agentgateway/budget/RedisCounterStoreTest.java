package io.agentgateway.budget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a Redis store shows of its URL in logs and errors. */
class RedisCounterStoreTest {
    @Test
    void theUrlIsShownWithoutCredentials() {
        assertThat(RedisCounterStore.redacted("redis://:hunter2@redis.ai-platform.svc:6379/2"))
                .isEqualTo("redis://redis.ai-platform.svc:6379");
        assertThat(RedisCounterStore.redacted("rediss://admin:hunter2@redis.example.com"))
                .isEqualTo("rediss://redis.example.com");
        assertThat(RedisCounterStore.redacted("redis://[oops")).doesNotContain("oops");
    }
}
