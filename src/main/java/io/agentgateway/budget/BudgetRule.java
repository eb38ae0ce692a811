package io.agentgateway.budget;

import io.agentgateway.config.RateLimitRule;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.PrincipalMatcher;
import io.agentgateway.policy.Resource;
import io.agentgateway.policy.ResourceMatcher;

/**
 * One {@code rate_limiting} rule compiled: who and what it counts, and its epoch-aligned windows
 * (a 24h window runs from 00:00 UTC to 00:00 UTC). Immutable and thread-safe.
 */
final class BudgetRule {
    /** Namespace part of the counter id for callers without one (authentication {@code none}). */
    static final String NO_NAMESPACE = "-";

    final String name;
    /** Tokens, requests, or micro-dollars for a cost rule. */
    final long limit;
    final long windowMillis;
    final boolean tokens;
    final boolean cost;
    final String window;
    private final PrincipalMatcher who;
    private final ResourceMatcher what;
    private final String idSuffix;
    /** The limit as the {@code x-ratelimit-limit-*} header writes it. */
    final String limitText;
    /**
     * The counter of the current window per namespace: the id is a string built from both, the
     * same for every request of a namespace until its window ends. Bounded: past the bound a
     * counter is built per request, as before there was this cache.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, BudgetCounter> current = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CURRENT_MAX = 4096;

    BudgetRule(RateLimitRule rule) {
        this.name = rule.name();
        this.cost = rule.limitBy() == RateLimitRule.LimitBy.COST;
        this.limit = cost ? rule.limitDecimal().movePointRight(6).setScale(0, java.math.RoundingMode.DOWN).longValueExact()
                : rule.limit().longValue();
        this.windowMillis = rule.window().toMillis();
        this.tokens = rule.limitBy() == RateLimitRule.LimitBy.TOKENS;
        this.window = describe(rule.window().toSeconds());
        this.who = PrincipalMatcher.of(rule.match());
        this.what = new ResourceMatcher(rule.effectiveResources());
        // The window length is part of the id: after a reload from 24h to 1h the hour starting at
        // midnight must not inherit the day's count.
        this.idSuffix = ":" + escape(name) + ":" + (windowMillis / 1000) + ":";
        this.limitText = cost ? PriceTable.usd(limit) : Long.toString(limit);
    }

    /** A request that names no governed resource (the model list) is never counted. */
    boolean applies(Principal principal, Resource resource) {
        return !(resource instanceof Resource.None) && who.matches(principal) && what.matches(resource);
    }

    /** True when this rule counts some caller of {@code namespace}. */
    boolean coversNamespace(String namespace) {
        return who.admitsNamespace(namespace);
    }

    String limitBy() {
        return tokens ? "tokens" : cost ? "cost" : "requests";
    }

    long windowStart(long nowMillis) {
        return Math.floorDiv(nowMillis, windowMillis) * windowMillis;
    }

    /**
     * The counter for {@code namespace} in the window holding {@code nowMillis}. The namespace is
     * a Redis hash tag, so every counter one request touches lives in one cluster slot.
     */
    BudgetCounter counter(String namespace, long nowMillis) {
        long start = windowStart(nowMillis);
        BudgetCounter c = current.get(namespace);
        if (c != null && c.windowEndMillis() == start + windowMillis) {
            return c;
        }
        c = new BudgetCounter("{" + escape(namespace) + "}" + idSuffix + (start / 1000), limit, start + windowMillis);
        if (current.size() < CURRENT_MAX || current.containsKey(namespace)) {
            current.put(namespace, c);
        }
        return c;
    }

    /** A window as people write it: {@code 24h} rather than {@code 1d}, {@code 7d}, {@code 30m}. */
    static String describe(long seconds) {
        if (seconds >= 2 * 86_400 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** Keeps ids unambiguous whatever a rule name contains. */
    private static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '{' || c == '}' || c == '%') {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
