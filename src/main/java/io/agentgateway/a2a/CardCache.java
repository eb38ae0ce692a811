package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agent cards as fetched from the agents (before rewriting, which depends on the caller's
 * address), kept for {@code a2a.card_cache_ttl} at most, one per agent and A2A version asked for
 * (an agent that speaks both 0.3 and 1.0 may serve a differently shaped card to each, chosen by
 * the caller's {@code A2A-Version} header). The agent's {@code Cache-Control} is
 * respected as a shared cache would: {@code no-store}, {@code no-cache} and {@code private} keep a
 * card out, {@code s-maxage} / {@code max-age} (less {@code Age}) shorten its stay. Time comes from
 * the injected clock. Bounded: when full, expired cards are dropped first, and if none has
 * expired a new card is simply not kept.
 *
 * <p>Thread-safe (cards are shared by all event loops); cached cards are never modified.
 */
final class CardCache {
    static final int MAX_ENTRIES = 1024;

    private record Entry(ObjectNode card, Instant expires) {
    }

    /** A card and how much longer it may be reused (zero when it was not kept). */
    record Cached(ObjectNode card, Duration remaining) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    CardCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * The key of an agent's card for one version.
     *
     * @param version the caller's {@code A2A-Version} ({@link A2aVersion#of checked}), or null when it sent none
     */
    static String key(String agent, String version) {
        return version == null ? agent : agent + " " + version;
    }

    /** The cached card under {@code agent} ({@link #key}), or null when there is none or it has expired. */
    Cached get(String agent) {
        Entry e = entries.get(agent);
        if (e == null) {
            return null;
        }
        Instant now = clock.instant();
        if (!now.isBefore(e.expires())) {
            entries.remove(agent, e);
            return null;
        }
        return new Cached(e.card(), Duration.between(now, e.expires()));
    }

    /** Keeps a freshly fetched card as long as config and the agent's headers allow. */
    Cached put(String agent, ObjectNode card, String cacheControl, String age) {
        Duration life = lifetime(ttl, cacheControl, age);
        if (life.isZero()) {
            return new Cached(card, Duration.ZERO);
        }
        if (entries.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                return new Cached(card, Duration.ZERO);
            }
        }
        entries.put(agent, new Entry(card, clock.instant().plus(life)));
        return new Cached(card, life);
    }

    /** How long a card may be kept: the configured TTL, shortened (never lengthened) by the agent's headers. */
    static Duration lifetime(Duration ttl, String cacheControl, String age) {
        if (ttl.isZero() || ttl.isNegative()) {
            return Duration.ZERO;
        }
        if (cacheControl == null) {
            return ttl;
        }
        long maxAge = -1;
        long sharedMaxAge = -1;
        for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
            String d = directive.trim();
            if (d.equals("no-store") || d.equals("no-cache") || d.equals("private")) {
                return Duration.ZERO;
            }
            if (d.startsWith("max-age=")) {
                maxAge = seconds(d.substring(8));
            } else if (d.startsWith("s-maxage=")) {
                sharedMaxAge = seconds(d.substring(9));
            }
        }
        long fresh = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
        if (fresh < 0) {
            return ttl;
        }
        long already = age == null ? 0 : Math.max(0, seconds(age.trim()));
        Duration allowed = Duration.ofSeconds(Math.max(0, fresh - already));
        return allowed.compareTo(ttl) < 0 ? allowed : ttl;
    }

    /** A delta-seconds value; an unreadable one counts as 0 (stale), as RFC 9111 advises. */
    private static long seconds(String s) {
        String v = s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
