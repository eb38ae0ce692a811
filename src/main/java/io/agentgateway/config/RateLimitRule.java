package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/**
 * One {@code rate_limiting} rule: a budget per namespace per epoch-aligned window.
 * {@code resources} defaults to {@code model:*} for token budgets and to everything for request
 * budgets ({@link #effectiveResources()}).
 */
public record RateLimitRule(
        @Required String name,
        MatchConfig match,
        @Required Long limit,
        @Required Duration window,
        LimitBy limitBy,
        List<String> resources) {

    public enum LimitBy { TOKENS, REQUESTS }

    public RateLimitRule {
        limitBy = limitBy == null ? LimitBy.TOKENS : limitBy;
        resources = resources == null ? null : List.copyOf(resources);
    }

    public List<String> effectiveResources() {
        if (resources != null) {
            return resources;
        }
        return limitBy == LimitBy.TOKENS ? List.of("model:*") : List.of("*");
    }
}
