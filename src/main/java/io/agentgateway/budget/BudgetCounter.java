package io.agentgateway.budget;

/**
 * One counter: a rule's budget for one namespace in one window. {@code id} names it in a
 * {@link CounterStore} (the Redis key without its prefix); {@code limit} is the rule's limit;
 * the counter means nothing once {@code windowEndMillis} (epoch milliseconds) has passed.
 * Immutable.
 */
public record BudgetCounter(String id, long limit, long windowEndMillis) {
}
