package io.agentgateway.policy;

import io.agentgateway.config.Action;
import io.agentgateway.config.AuthorizationConfig;
import io.agentgateway.config.PolicyConfig;
import io.agentgateway.identity.Principal;

import java.util.List;

/**
 * {@code authorization.policies} compiled (DESIGN.md §6): every policy whose {@code match} fits the
 * principal and whose {@code resources} fit the resource is collected; any deny wins, else any
 * allow, else {@code default_action}. The decision names the policy that made it (the first deny,
 * else the first allow, in config order; {@code default} otherwise).
 *
 * <p>Immutable and thread-safe; compiled once per config.
 */
public final class AuthorizationPolicies implements PolicyEngine {
    private record Compiled(String name, PrincipalMatcher who, ResourceMatcher what, Action action) {
    }

    private final List<Compiled> policies;
    private final Action defaultAction;

    public AuthorizationPolicies(AuthorizationConfig config) {
        this.policies = config.policies().stream().map(AuthorizationPolicies::compile).toList();
        this.defaultAction = config.effectiveDefault();
    }

    private static Compiled compile(PolicyConfig p) {
        return new Compiled(p.name(), PrincipalMatcher.of(p.match()), new ResourceMatcher(p.resources()), p.action());
    }

    @Override
    public Decision decide(Principal principal, Resource resource, RequestFacts facts) {
        String allowedBy = null;
        for (Compiled p : policies) {
            if (!p.who().matches(principal) || !p.what().matches(resource)) {
                continue;
            }
            if (p.action() == Action.DENY) {
                return Decision.deny(p.name(), "denied by policy " + p.name());
            }
            if (allowedBy == null) {
                allowedBy = p.name();
            }
        }
        if (allowedBy != null) {
            return Decision.allow(allowedBy);
        }
        return defaultAction == Action.ALLOW ? Decision.allow(Decision.DEFAULT_POLICY)
                : Decision.deny(Decision.DEFAULT_POLICY, "no policy allows it and authorization.default_action is deny");
    }
}
