package io.agentgateway.identity;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the token caches ({@link VerifiedTokens}) of one gateway process do, per cache kind
 * ({@code kubernetes}: TokenReview and offline service-account tokens; {@code jwt}): lookups that
 * hit, lookups that had to verify, entries evicted because the cache was full, and entries held.
 * The counts outlive reloads (a reload builds new caches that add to the same counts).
 *
 * <p>Meters, once {@link #bind bound}: {@code agentgateway_identity_token_cache_requests_total{cache,result=hit|miss}},
 * {@code agentgateway_identity_token_cache_evictions_total{cache}} and
 * {@code agentgateway_identity_token_cache_entries{cache}}. Thread-safe.
 */
public final class TokenCacheStats {
    public static final String KUBERNETES = "kubernetes";
    public static final String JWT = "jwt";
    private static final Map<Vertx, TokenCacheStats> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** The counts of one cache kind, and the caches that are still alive. */
    static final class Kind {
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder evictions = new LongAdder();
        private final Set<VerifiedTokens> caches = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

        void track(VerifiedTokens cache) {
            caches.add(cache);
        }

        double entries() {
            synchronized (caches) {
                return caches.stream().mapToInt(VerifiedTokens::size).sum();
            }
        }
    }

    private TokenCacheStats() {
    }

    /** Registers the meters of {@code vertx}'s token caches in {@code registry}; call once, before traffic. */
    public static void bind(Vertx vertx, MeterRegistry registry) {
        TokenCacheStats stats = BY_VERTX.computeIfAbsent(vertx, v -> new TokenCacheStats());
        for (String cache : new String[]{KUBERNETES, JWT}) {
            Kind k = stats.kind(cache);
            FunctionCounter.builder("agentgateway.identity.token.cache.requests", k.hits, LongAdder::doubleValue)
                    .description("Token lookups in the verified-token cache").tags("cache", cache, "result", "hit").register(registry);
            FunctionCounter.builder("agentgateway.identity.token.cache.requests", k.misses, LongAdder::doubleValue)
                    .description("Token lookups in the verified-token cache").tags("cache", cache, "result", "miss").register(registry);
            FunctionCounter.builder("agentgateway.identity.token.cache.evictions", k.evictions, LongAdder::doubleValue)
                    .description("Verified tokens dropped because the cache was full (" + AuthenticatorCompiler.CACHE_ENTRIES + " entries)")
                    .tags("cache", cache).register(registry);
            Gauge.builder("agentgateway.identity.token.cache.entries", k, Kind::entries)
                    .description("Verified tokens held").tags("cache", cache).strongReference(true).register(registry);
        }
    }

    /** The counts of one cache kind of {@code vertx} (counted but unregistered when {@link #bind} was not called; null vertx: a throwaway). */
    static Kind of(Vertx vertx, String cache) {
        if (vertx == null) {
            return new Kind();
        }
        return BY_VERTX.computeIfAbsent(vertx, v -> new TokenCacheStats()).kind(cache);
    }

    private Kind kind(String cache) {
        return kinds.computeIfAbsent(cache, c -> new Kind());
    }
}
