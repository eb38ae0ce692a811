package io.agentgateway.llm;

import io.agentgateway.config.LlmConfig;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.ProviderConfig.ProviderType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which provider serves a model when several providers' {@code models} globs match it. */
class ModelRouterTest {
    private static Provider provider(String name, String... models) {
        ProviderConfig config = new ProviderConfig(name, ProviderType.OPENAI, null, null, "http://127.0.0.1:1/v1", List.of(models),
                null, null, null, null, null, null, null, null, null, null);
        return new Provider(config, config.baseUrl(), ProviderDialect.of(config, ProviderDialect.Secrets.NONE, Clock.systemUTC()));
    }

    @Test
    void theFirstProviderListedServesAModelSeveralMatch() {
        // Sixteen providers that all match, listed in a shuffled order of names: an unordered map
        // (what the router used to keep) would pick the first one in config order only by chance.
        Map<String, Provider> providers = new LinkedHashMap<>();
        IntStream.of(7, 3, 12, 0, 15, 9, 1, 14, 5, 11, 2, 8, 13, 4, 10, 6)
                .forEach(i -> providers.put("p" + i, provider("p" + i, "gpt-*")));
        LlmConfig config = new LlmConfig(providers.values().stream().map(Provider::config).toList(), null, null, null);

        LlmRuntime llm = LlmRuntime.compile(config, providers, false, 0);

        assertThat(llm.router().route("gpt-4o")).extracting(t -> t.provider().name()).containsExactly("p7");
        assertThat(llm.providers().keySet()).containsExactlyElementsOf(providers.keySet());
        assertThat(llm.router().listable()).isEmpty();
    }

    @Test
    void aLiteralModelIsListedUnderTheFirstProviderThatNamesIt() {
        Map<String, Provider> providers = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "mid", "beta", "omega", "kappa", "delta", "gamma")) {
            providers.put(name, provider(name, "shared-model"));
        }
        LlmConfig config = new LlmConfig(providers.values().stream().map(Provider::config).toList(), null, null, null);

        ModelRouter router = new ModelRouter(config, providers);

        assertThat(router.route("shared-model")).extracting(t -> t.provider().name()).containsExactly("zeta");
        assertThat(router.listable()).containsExactly(new ModelRouter.Listed("shared-model", "zeta"));
    }
}
