package io.agentgateway.identity;

import io.agentgateway.testing.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The verification cache: keyed by hash, bounded, never past a token's exp, refusals not kept, one verification per token at a time. */
class VerifiedTokensTest {
    final ManualClock clock = new ManualClock(java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()));
    final AtomicInteger verifications = new AtomicInteger();
    final Principal alice = Principal.serviceAccount("dev-team", "alice", "kubernetes", Map.of());

    Future<VerifiedTokens.Verified> valid(String token) {
        verifications.incrementAndGet();
        return Future.succeededFuture(new VerifiedTokens.Verified(alice, clock.instant().plusSeconds(30)));
    }

    @Test
    void aVerifiedTokenIsServedFromTheCacheUntilItsExpiry() {
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofMinutes(5), 100);
        assertThat(cache.get("t", this::valid).result()).isEqualTo(alice);
        assertThat(cache.get("t", this::valid).result()).isEqualTo(alice);
        assertThat(verifications).hasValue(1);
        clock.advance(Duration.ofSeconds(30)); // the token's exp, well inside the ttl
        cache.get("t", this::valid);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void theTtlBoundsTokensThatLiveLonger() {
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofSeconds(10), 100);
        cache.get("t", this::valid);
        clock.advance(Duration.ofSeconds(10));
        cache.get("t", this::valid);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void refusalsAreNotKept() {
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofMinutes(5), 100);
        for (int i = 0; i < 3; i++) {
            Future<Principal> f = cache.get("bad", t -> {
                verifications.incrementAndGet();
                return Future.failedFuture(AuthenticationException.invalid("no"));
            });
            assertThat(f.failed()).isTrue();
        }
        assertThat(verifications).hasValue(3);
        assertThat(cache.size()).isZero();
    }

    @Test
    void concurrentRequestsWithOneTokenShareOneVerification() {
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofMinutes(5), 100);
        Promise<VerifiedTokens.Verified> pending = Promise.promise();
        Future<Principal> first = cache.get("t", t -> {
            verifications.incrementAndGet();
            return pending.future();
        });
        Future<Principal> second = cache.get("t", this::valid);
        assertThat(verifications).hasValue(1);
        pending.complete(new VerifiedTokens.Verified(alice, null));
        assertThat(first.result()).isEqualTo(alice);
        assertThat(second.result()).isEqualTo(alice);
    }

    @Test
    void theCacheIsBoundedAndKeysAreHashes() {
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofMinutes(5), 3);
        for (int i = 0; i < 10; i++) {
            cache.get("token-" + i, this::valid);
        }
        assertThat(cache.size()).isEqualTo(3);
        assertThat(VerifiedTokens.sha256("token-1")).hasSize(64).doesNotContain("token");
    }

    @Test
    void hitsMissesEvictionsAndEntriesAreCounted() {
        TokenCacheStats.Kind stats = new TokenCacheStats.Kind();
        VerifiedTokens cache = new VerifiedTokens(clock, Duration.ofMinutes(5), 3, stats);
        for (int i = 0; i < 5; i++) {
            cache.get("token-" + i, this::valid);
        }
        cache.get("token-4", this::valid);
        assertThat(stats.misses.sum()).isEqualTo(5);
        assertThat(stats.hits.sum()).isEqualTo(1);
        assertThat(stats.evictions.sum()).isEqualTo(2);
        assertThat(stats.entries()).isEqualTo(3.0);
    }
}
