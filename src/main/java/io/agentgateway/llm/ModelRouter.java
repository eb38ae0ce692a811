package io.agentgateway.llm;

import io.agentgateway.config.LlmConfig;
import io.agentgateway.config.ModelRouteConfig;
import io.agentgateway.policy.Glob;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the upstream for a model name a client sent: the first {@code llm.models} entry whose
 * name (a glob) matches, followed by its {@code fallbacks} in order; else the first provider whose
 * {@code models} globs match. Null when nothing serves the model.
 *
 * <p>Immutable and thread-safe; compiled once per config.
 */
public final class ModelRouter {
    /** One upstream to try: a provider and the model name to send it. */
    public record Target(Provider provider, String model) {
    }

    private record Alias(Glob name, ModelRouteConfig config) {
    }

    private final List<Alias> aliases;
    private final Map<String, ModelRouteConfig> aliasesByName;
    private final Map<String, Provider> providers;

    public ModelRouter(LlmConfig config, Map<String, Provider> providers) {
        this.aliases = config.models().stream().map(m -> new Alias(Glob.of(m.name()), m)).toList();
        Map<String, ModelRouteConfig> byName = new LinkedHashMap<>();
        config.models().forEach(m -> byName.put(m.name(), m));
        this.aliasesByName = byName;
        // Config order: with overlapping model globs the first provider listed serves (Map.copyOf has no order).
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    }

    /** The targets for {@code model}, first choice first; empty when no provider serves it. */
    public List<Target> route(String model) {
        for (Alias alias : aliases) {
            if (alias.name().matches(model)) {
                List<Target> targets = new ArrayList<>(1 + alias.config().fallbacks().size());
                targets.add(target(alias.config(), model));
                for (String fallback : alias.config().fallbacks()) {
                    targets.add(target(aliasesByName.get(fallback), model));
                }
                return targets;
            }
        }
        for (Provider p : providers.values()) {
            if (p.serves(model)) {
                return List.of(new Target(p, model));
            }
        }
        return List.of();
    }

    /** An alias entry's upstream: its {@code model}, else its name when literal, else what the client sent. */
    private Target target(ModelRouteConfig entry, String requested) {
        String upstream = entry.model() != null ? entry.model()
                : Glob.isPattern(entry.name()) ? requested : entry.name();
        return new Target(providers.get(entry.provider()), upstream);
    }

    /** Model names a client can ask for by name (literal alias names and literal provider models), in config order. */
    public List<Listed> listable() {
        Map<String, Listed> out = new LinkedHashMap<>();
        for (Alias a : aliases) {
            if (!Glob.isPattern(a.config().name())) {
                out.putIfAbsent(a.config().name(), new Listed(a.config().name(), a.config().provider()));
            }
        }
        for (Provider p : providers.values()) {
            for (String m : p.config().models()) {
                if (!Glob.isPattern(m) && !route(m).isEmpty()) {
                    out.putIfAbsent(m, new Listed(m, p.name()));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** A model for {@code /v1/models}: its id and the provider that owns it. */
    public record Listed(String id, String ownedBy) {
    }
}
