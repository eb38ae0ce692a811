package io.agentgateway.config;

/**
 * One entry of {@code llm.pricing}: what a model (a glob) costs, in US dollars per million tokens.
 * {@code cachedInput} is null when not given (input read from the provider's prompt cache is then
 * priced as {@code input}).
 */
public record PriceConfig(@Required String model, @Required Double input, Double cachedInput, @Required Double output) {
}
