package io.agentgateway.config;

import java.util.List;

/** The {@code llm} section: upstream providers and model routing. */
public record LlmConfig(List<ProviderConfig> providers, List<ModelRouteConfig> models, Integer defaultMaxTokens) {
    public static final LlmConfig EMPTY = new LlmConfig(null, null, null);

    public LlmConfig {
        providers = providers == null ? List.of() : List.copyOf(providers);
        models = models == null ? List.of() : List.copyOf(models);
        defaultMaxTokens = defaultMaxTokens == null ? 4096 : defaultMaxTokens;
    }
}
