package io.agentgateway.budget;

/**
 * One namespace's use of one {@code rate_limiting} rule in the current window: {@code used} of
 * {@code limit} {@code limitBy} ("tokens" or "requests"), the window ({@code 24h}) and its bounds
 * in epoch milliseconds. Immutable.
 */
public record BudgetUsage(String rule, String namespace, String limitBy, long limit, String window, long used,
                          long windowStartMillis, long windowEndMillis) {
}
