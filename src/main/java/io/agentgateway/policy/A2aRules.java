package io.agentgateway.policy;

import io.agentgateway.config.A2aRuleConfig;
import io.agentgateway.config.Action;
import io.agentgateway.identity.Principal;

import java.util.List;
import java.util.Set;

/**
 * {@code a2a.authorization} compiled: which caller (source) may call which agent
 * (target). Same semantics as resource policies: every matching rule counts, any deny wins, else
 * any allow; with no matching rule the call is denied when rules exist at all and allowed when
 * none are configured. The decision names the deciding rule.
 *
 * <p>Immutable and thread-safe.
 */
public final class A2aRules {
    /** The name a decision carries when no rule matched. */
    public static final String DEFAULT_RULE = "default";

    private record Compiled(String name, PrincipalMatcher source, Set<String> targetNamespaces, Glob targetName, Action action) {
        boolean matches(Principal p, Resource.Agent target) {
            return source.matches(p)
                    && (targetNamespaces.isEmpty() || targetNamespaces.contains(target.namespace()))
                    && (targetName == null || targetName.matches(target.name()));
        }
    }

    private final List<Compiled> rules;

    public A2aRules(List<A2aRuleConfig> rules) {
        this.rules = rules.stream().map(r -> new Compiled(r.name(), PrincipalMatcher.of(r.source()),
                r.target().namespace() != null ? Set.of(r.target().namespace()) : Set.copyOf(r.target().namespaces()),
                r.target().name() == null ? null : Glob.of(r.target().name()), r.action())).toList();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public Decision decide(Principal source, Resource.Agent target) {
        String allowedBy = null;
        for (Compiled r : rules) {
            if (!r.matches(source, target)) {
                continue;
            }
            if (r.action() == Action.DENY) {
                return Decision.deny(r.name(), "a2a rule " + r.name() + " denies calls from "
                        + describe(source) + " to " + target.id());
            }
            if (allowedBy == null) {
                allowedBy = r.name();
            }
        }
        if (allowedBy != null) {
            return Decision.allow(allowedBy);
        }
        if (rules.isEmpty()) {
            return Decision.allow(DEFAULT_RULE);
        }
        return Decision.deny(DEFAULT_RULE, "no a2a rule allows calls from " + describe(source) + " to " + target.id());
    }

    private static String describe(Principal p) {
        return p.namespace() == null ? "an anonymous caller" : "namespace " + p.namespace();
    }
}
