package io.agentgateway.budget;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.util.List;

/**
 * OpenAI's rate-limit headers ({@code x-ratelimit-limit-tokens}, {@code -remaining-tokens},
 * {@code -reset-tokens}, and the same for {@code -requests}; for cost rules the gateway's own
 * {@code x-ratelimit-limit-cost}, {@code -remaining-cost} and {@code -reset-cost}, amounts in US
 * dollars) for the tightest applicable rule of each kind: the one with the least left, as a client that reads them must plan for that one.
 * Reset times are written the way OpenAI writes them ({@code 6m0s}, {@code 1s}, {@code 20ms}).
 */
final class RateLimitHeaders {
    // Names built once, in the form Vert.x writes without encoding them again.
    private static final CharSequence[] LIMIT = names("limit");
    private static final CharSequence[] REMAINING = names("remaining");
    private static final CharSequence[] RESET = names("reset");

    private static final int TOKENS = 0;
    private static final int REQUESTS = 1;
    private static final int COST = 2;

    /** {@code x-ratelimit-WHAT-tokens}, {@code -requests} and {@code -cost}, indexed by kind. */
    private static CharSequence[] names(String what) {
        return new CharSequence[] {HttpHeaders.createOptimized("x-ratelimit-" + what + "-tokens"),
                HttpHeaders.createOptimized("x-ratelimit-" + what + "-requests"),
                HttpHeaders.createOptimized("x-ratelimit-" + what + "-cost")};
    }

    private RateLimitHeaders() {
    }

    static MultiMap of(List<BudgetRule> rules, List<BudgetCounter> counters, long[] values, long nowMillis) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        write(headers, rules, counters, values, nowMillis);
        return headers;
    }

    /** Adds the headers to {@code headers} (a response's, with no map of their own in between). */
    static void write(MultiMap headers, List<BudgetRule> rules, List<BudgetCounter> counters, long[] values, long nowMillis) {
        add(headers, TOKENS, rules, counters, values, nowMillis);
        add(headers, REQUESTS, rules, counters, values, nowMillis);
        add(headers, COST, rules, counters, values, nowMillis);
    }

    private static void add(MultiMap headers, int kind, List<BudgetRule> rules, List<BudgetCounter> counters,
                            long[] values, long nowMillis) {
        int tightest = -1;
        long least = Long.MAX_VALUE;
        for (int i = 0; i < rules.size(); i++) {
            BudgetRule r = rules.get(i);
            if ((r.tokens ? TOKENS : r.cost ? COST : REQUESTS) != kind) {
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
        boolean usd = kind == COST;
        headers.add(LIMIT[kind], rules.get(tightest).limitText);
        headers.add(REMAINING[kind], usd ? PriceTable.usd(least) : Long.toString(least));
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
