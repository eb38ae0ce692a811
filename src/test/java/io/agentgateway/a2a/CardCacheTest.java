package io.agentgateway.a2a;

import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How long a card is kept: the configured TTL, shortened by the agent's Cache-Control, never lengthened. */
class CardCacheTest {
    static final Duration TTL = Duration.ofSeconds(30);

    @Test
    void lifetimes() {
        assertThat(CardCache.lifetime(TTL, null, null)).isEqualTo(TTL);
        assertThat(CardCache.lifetime(TTL, "public, max-age=3600", null)).isEqualTo(TTL);
        assertThat(CardCache.lifetime(TTL, "max-age=10", null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(CardCache.lifetime(TTL, "max-age=10", "4")).isEqualTo(Duration.ofSeconds(6));
        assertThat(CardCache.lifetime(TTL, "max-age=60, s-maxage=5", null)).isEqualTo(Duration.ofSeconds(5));
        assertThat(CardCache.lifetime(TTL, "No-Store", null)).isZero();
        assertThat(CardCache.lifetime(TTL, "no-cache", null)).isZero();
        assertThat(CardCache.lifetime(TTL, "private, max-age=60", null)).isZero();
        assertThat(CardCache.lifetime(TTL, "max-age=soon", null)).isZero();
        assertThat(CardCache.lifetime(Duration.ZERO, null, null)).isZero();
    }

    @Test
    void cardsExpireByTheInjectedClock() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
        CardCache cache = new CardCache(TTL, clock);
        cache.put("dev-team/a", A2aWire.card("http://a:1/"), "max-age=10", null);
        assertThat(cache.get("dev-team/a").remaining()).isEqualTo(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get("dev-team/a")).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("dev-team/a")).isNull();
        assertThat(cache.put("dev-team/b", A2aWire.card("http://b:1/"), "no-store", null).remaining()).isZero();
        assertThat(cache.get("dev-team/b")).isNull();
    }

    @Test
    void theCacheIsBounded() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
        CardCache cache = new CardCache(TTL, clock);
        for (int i = 0; i < CardCache.MAX_ENTRIES; i++) {
            cache.put("ns/agent-" + i, A2aWire.card("http://a:1/"), null, null);
        }
        assertThat(cache.put("ns/one-more", A2aWire.card("http://a:1/"), null, null).remaining()).isZero();
        clock.advance(TTL);
        assertThat(cache.put("ns/one-more", A2aWire.card("http://a:1/"), null, null).remaining()).isEqualTo(TTL);
    }
}
