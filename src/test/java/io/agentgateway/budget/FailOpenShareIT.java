package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fail_open} with two gateway replicas on a real redis-server that is stopped: each replica
 * counts itself in Redis while it is up, and while Redis is away holds itself to half of the
 * headroom it last saw, so the two together stop at the limit instead of at twice it; when Redis
 * returns their local counts are replayed and add up to exactly the limit.
 */
class FailOpenShareIT {
    static RedisServer redis;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(null);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            redis.close();
        }
    }

    static RedisCounterStore store() {
        RateLimitStoreConfig config = new RateLimitStoreConfig(RateLimitStoreConfig.StoreType.REDIS, redis.url(), null, null,
                RateLimitStoreConfig.FailureMode.FAIL_OPEN, "share-it:", Duration.ofMillis(300), null, null, null, null, null);
        return RedisCounterStore.create(vertx, config, null, Clock.systemUTC());
    }

    static boolean reserve(CounterStore store, BudgetCounter c) throws Exception {
        return store.reserve(List.of(c), new long[]{1}).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).granted();
    }

    static int grantedOf(CounterStore store, BudgetCounter c, int tries) throws Exception {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            granted += reserve(store, c) ? 1 : 0;
        }
        return granted;
    }

    @Test
    void eachReplicaKeepsToItsShareWhileRedisIsAway() throws Exception {
        BudgetCounter c = new BudgetCounter("{share-team}:requests:3600:0", 100, System.currentTimeMillis() + 3_600_000);
        RedisCounterStore a = store();
        RedisCounterStore b = store();
        try {
            Await.until("both replicas are counted", () -> a.replicas() == 2 && b.replicas() == 2);
            assertThat(redis.command(io.vertx.redis.client.Command.ZCARD, "share-it:replicas").toInteger()).isEqualTo(2);
            assertThat(grantedOf(a, c, 10)).isEqualTo(10);
            assertThat(grantedOf(b, c, 10)).isEqualTo(10);
            // each replica's last look at the counter: A sees 21, B sees 22
            assertThat(reserve(a, c)).isTrue();
            assertThat(reserve(b, c)).isTrue();

            redis.stop();
            int byA = grantedOf(a, c, 100);
            int byB = grantedOf(b, c, 100);
            assertThat(byA).as("A: half of the 79 it saw left").isEqualTo(39);
            assertThat(byB).as("B: half of the 78 it saw left").isEqualTo(39);

            redis.start();
            Await.until("both replicas replay into Redis", () -> a.settled() && b.settled());
            assertThat(redis.sum("share-it:{share-team}*")).as("22 before, 78 during the outage").isEqualTo(100);
            assertThat(reserve(a, c)).isFalse();
            assertThat(reserve(b, c)).isFalse();
        } finally {
            a.close();
            b.close();
        }
        Await.until("closed replicas leave the census", () ->
                redis.command(io.vertx.redis.client.Command.ZCARD, "share-it:replicas").toInteger() == 0);
    }
}
