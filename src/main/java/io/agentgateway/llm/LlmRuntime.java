package io.agentgateway.llm;

import io.agentgateway.config.LlmConfig;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code llm} section compiled: providers, routing, and what the flows need to know about
 * budgets. Immutable and thread-safe.
 *
 * @param estimateTokens   whether token budgets exist, so requests need a token estimate
 * @param createdEpochSecond the {@code created} time reported for listed models (config load time)
 * @param upstreamModels     the model lists of providers whose {@code models} are globs, cached
 */
public record LlmRuntime(Map<String, Provider> providers, ModelRouter router, int defaultMaxTokens,
                         boolean estimateTokens, long createdEpochSecond, List<ModelRouter.Listed> listable,
                         ProviderModels upstreamModels) {

    public static LlmRuntime compile(LlmConfig config, Map<String, Provider> providers, boolean estimateTokens, long nowEpochSecond) {
        return compile(config, providers, estimateTokens, Clock.systemUTC(), nowEpochSecond);
    }

    /** @param clock the time the providers' model lists are cached by */
    public static LlmRuntime compile(LlmConfig config, Map<String, Provider> providers, boolean estimateTokens, Clock clock,
                                     long nowEpochSecond) {
        // The tokenizer's encodings are not waited for (nor loaded) here: the LLM listener holds the
        // requests that need an estimate until they are loaded, so a start is not slowed by them.
        ModelRouter router = new ModelRouter(config, providers);
        return new LlmRuntime(Collections.unmodifiableMap(new LinkedHashMap<>(providers)), router, config.defaultMaxTokens(), estimateTokens,
                nowEpochSecond, router.listable(), new ProviderModels(clock));
    }
}
