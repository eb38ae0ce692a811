package io.agentgateway.config;

import java.util.List;

/**
 * The {@code authorization} section. {@code default_action} applies when no policy matches; when
 * absent it is deny if any policy exists, else allow ({@link #effectiveDefault()}).
 */
public record AuthorizationConfig(Action defaultAction, List<PolicyConfig> policies) {
    public static final AuthorizationConfig EMPTY = new AuthorizationConfig(null, null);

    public AuthorizationConfig {
        policies = policies == null ? List.of() : List.copyOf(policies);
    }

    public Action effectiveDefault() {
        if (defaultAction != null) {
            return defaultAction;
        }
        return policies.isEmpty() ? Action.ALLOW : Action.DENY;
    }
}
