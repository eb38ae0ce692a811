package io.agentgateway.budget;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a Redis store shows of its URL in logs and errors. */
class RedisCounterStoreTest {
    @Test
    void theUrlIsShownWithoutCredentials() {
        assertThat(RedisConnector.redacted("redis://:hunter2@redis.ai-platform.svc:6379/2"))
                .isEqualTo("redis://redis.ai-platform.svc:6379");
        assertThat(RedisConnector.redacted("rediss://admin:hunter2@redis.example.com"))
                .isEqualTo("rediss://redis.example.com");
        assertThat(RedisConnector.redacted("redis://[oops")).doesNotContain("oops");
    }

    @Test
    void replaysAreGroupedByTheSlotRedisClusterHashes() {
        assertThat(RedisCounterStore.hashTag("agentgateway:{team-a}:tokens:86400:0")).isEqualTo("team-a");
        assertThat(RedisCounterStore.hashTag("pre{x}fix:{team-a}:r")).as("the first tag counts").isEqualTo("x");
        assertThat(RedisCounterStore.hashTag("a{}b{c}")).as("an empty tag means the whole key").isEqualTo("a{}b{c}");
        assertThat(RedisCounterStore.hashTag("plain")).isEqualTo("plain");
    }
}
