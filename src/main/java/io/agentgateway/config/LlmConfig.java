package io.agentgateway.config;

import java.util.List;

/**
 * The {@code llm} section: upstream providers, model routing, and the price table that
 * {@code limit_by: cost} budgets and the cost metrics use ({@code pricing}, tried before the
 * built-in prices).
 */
public record LlmConfig(List<ProviderConfig> providers, List<ModelRouteConfig> models, Integer defaultMaxTokens,
                        List<PriceConfig> pricing) {
    public static final LlmConfig EMPTY = new LlmConfig(null, null, null, null);

    public LlmConfig {
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        defaultMaxTokens = defaultMaxTokens == null ? 4096 : defaultMaxTokens;
        pricing = pricing == null ? List.of() : List.copyOf(pricing);
    }
}
