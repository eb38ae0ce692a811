package io.agentgateway.budget;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.List;

/**
 * OpenAI's rate-limit headers ({@code x-ratelimit-limit-tokens}, {@code -remaining-tokens},
 * {@code -reset-tokens}, and the same for {@code -requests}) for the tightest applicable rule of
 * each kind: the one with the least left, as a client that reads them must plan for that one.
 * Reset times are written the way OpenAI writes them ({@code 6m0s}, {@code 1s}, {@code 20ms}).
 */
final class RateLimitHeaders {
    // Names built once, in the form Vert.x writes without encoding them again.
    private static final CharSequence[] LIMIT = names("limit");
    private static final CharSequence[] REMAINING = names("remaining");
    private static final CharSequence[] RESET = names("reset");

    /** {@code x-ratelimit-WHAT-tokens} and {@code x-ratelimit-WHAT-requests}, in that order. */
    private static CharSequence[] names(String what) {
        return new CharSequence[] {HttpHeaders.createOptimized("x-ratelimit-" + what + "-tokens"),
                HttpHeaders.createOptimized("x-ratelimit-" + what + "-requests")};
    }

    private RateLimitHeaders() {
    }

    static MultiMap of(List<BudgetRule> rules, List<BudgetCounter> counters, long[] values, long nowMillis) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        add(headers, true, rules, counters, values, nowMillis);
        add(headers, false, rules, counters, values, nowMillis);
        return headers;
    }

    private static void add(MultiMap headers, boolean tokens, List<BudgetRule> rules, List<BudgetCounter> counters,
                            long[] values, long nowMillis) {
        int tightest = -1;
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rules.size(); i++) {
            BudgetRule r = rules.get(i);
            if (r.tokens != tokens) {
                continue;
            }
            long left = remaining(r.limit, values[i]);
            if (left < least || (left == least && tightest >= 0 && r.limit < rules.get(tightest).limit)) {
                least = left;
                tightest = i;
            }
        }
        if (tightest < 0) {
            return;
        }
        int kind = tokens ? 0 : 1;
        headers.add(LIMIT[kind], Long.toString(rules.get(tightest).limit));
        headers.add(REMAINING[kind], Long.toString(least));
        headers.add(RESET[kind], duration(counters.get(tightest).windowEndMillis() - nowMillis));
    }

    static long remaining(long limit, long value) {
        return Math.max(0, limit - value);
    }

    /** A duration as OpenAI writes it: {@code 20ms} below a second, else {@code 1h2m3s} rounded up to the second. */
    static String duration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long seconds = (millis + 999) / 1000;
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + m + "m" + s + "s";
        }
        return m > 0 ? m + "m" + s + "s" : s + "s";
    }
}
