package io.agentgateway.llm;

import io.agentgateway.config.LlmConfig;

import java.util.List;
import java.util.Map;

/**
 * The {@code llm} section compiled: providers, routing, and what the flows need to know about
 * budgets. Immutable and thread-safe.
 *
 * @param estimateTokens   whether token budgets exist, so requests need a token estimate
 * @param createdEpochSecond the {@code created} time reported for listed models (config load time)
 */
public record LlmRuntime(Map<String, Provider> providers, ModelRouter router, int defaultMaxTokens,
                         boolean estimateTokens, long createdEpochSecond, List<ModelRouter.Listed> listable) {

    public static LlmRuntime compile(LlmConfig config, Map<String, Provider> providers, boolean estimateTokens, long nowEpochSecond) {
        ModelRouter router = new ModelRouter(config, providers);
        if (estimateTokens) {
            // Loading the encodings takes seconds: waited for here, off the event loop, not in the first request.
            TokenCounter.awaitLoaded();
        }
        return new LlmRuntime(Map.copyOf(providers), router, config.defaultMaxTokens(), estimateTokens,
                nowEpochSecond, router.listable());
    }
}
