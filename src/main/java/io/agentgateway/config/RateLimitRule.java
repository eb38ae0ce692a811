package io.agentgateway.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * One {@code rate_limiting} rule: a budget per namespace per epoch-aligned window.
 * {@code limit} is a whole number of tokens or requests, or an amount in US dollars for
 * {@code limit_by: cost} (a {@link Long} when written whole, else a {@link BigDecimal}).
 * {@code resources} defaults to {@code model:*} for token and cost budgets and to everything for
 * request budgets ({@link #effectiveResources()}).
 */
public record RateLimitRule(
        @Required String name,
        MatchConfig match,
        @Required Number limit,
        @Required Duration window,
        LimitBy limitBy,
        List<String> resources) {

    public enum LimitBy { TOKENS, REQUESTS, COST }

    public RateLimitRule {
        limitBy = limitBy == null ? LimitBy.TOKENS : limitBy;
        resources = resources == null ? null : List.copyOf(resources);
    }

    public List<String> effectiveResources() {
        if (resources != null) {
            return resources;
        }
        return limitBy == LimitBy.REQUESTS ? List.of("*") : List.of("model:*");
    }

    /** The limit as an exact decimal. */
    public BigDecimal limitDecimal() {
        return limit instanceof BigDecimal d ? d : new BigDecimal(limit.toString());
    }
}
