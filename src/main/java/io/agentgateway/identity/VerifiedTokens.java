package io.agentgateway.identity;

import io.agentgateway.kube.CallerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Successful token verifications, kept for {@code ttl} and never past the token's own expiry,
 * keyed by the SHA-256 of the token (the token itself is never stored). Concurrent requests with
 * the same token share one verification. Refusals are not kept: a token that failed is verified
 * again next time, so a transient failure (or a fixed clock) never sticks. At most
 * {@code maxEntries} are kept; the oldest go first.
 *
 * <p>Thread-safe.
 */
final class VerifiedTokens {
    /** What a verification established, and until when it holds (null: no expiry of its own). */
    record Verified(Principal principal, Instant expiresAt) {
    }

    private static final class Slot {
        final Future<Verified> result;
        Instant validUntil; // null while the verification runs

        Slot(Future<Verified> result) {
            this.result = result;
        }
    }

    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Slot> entries;
    private final TokenCacheStats.Kind stats;

    VerifiedTokens(Clock clock, Duration ttl, int maxEntries) {
        this(clock, ttl, maxEntries, new TokenCacheStats.Kind());
    }

    /** @param stats where hits, misses, evictions and the size are counted ({@link TokenCacheStats}) */
    VerifiedTokens(Clock clock, Duration ttl, int maxEntries, TokenCacheStats.Kind stats) {
        this.clock = clock;
        this.ttl = ttl;
        this.stats = stats;
        this.entries = new LinkedHashMap<>(256, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                if (size() > maxEntries) {
                    stats.evictions.increment();
                    return true;
                }
                return false;
            }
        };
        stats.track(this);
    }

    /** The principal for {@code token}: from the cache when still valid, else from {@code verify}. */
    Future<Principal> get(String token, Function<String, Future<Verified>> verify) {
        String key = sha256(token);
        Promise<Verified> promise;
        Slot entry;
        synchronized (entries) {
            entry = entries.get(key);
            if (entry != null && entry.validUntil != null && !clock.instant().isBefore(entry.validUntil)) {
                entries.remove(key);
                entry = null;
            }
            if (entry != null) {
                stats.hits.increment();
                return CallerContext.rejoin(entry.result).map(Verified::principal);
            }
            stats.misses.increment();
            promise = Promise.promise();
            entry = new Slot(promise.future());
            entries.put(key, entry);
        }
        Slot running = entry;
        Future<Verified> result;
        try {
            result = verify.apply(token);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            synchronized (entries) {
                if (entries.get(key) == running) {
                    Instant now = clock.instant();
                    Instant until = ar.succeeded() ? validUntil(now, ar.result().expiresAt()) : now;
                    if (until.isAfter(now)) {
                        running.validUntil = until;
                    } else {
                        entries.remove(key);
                    }
                }
            }
        });
        // Later callers with the same token wait on the promise (rejoining their own contexts);
        // this caller continues on the verification's own future, already on its context.
        result.onComplete(promise);
        return result.map(Verified::principal);
    }

    private Instant validUntil(Instant now, Instant tokenExpiry) {
        Instant until = now.plus(ttl);
        return tokenExpiry != null && tokenExpiry.isBefore(until) ? tokenExpiry : until;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
