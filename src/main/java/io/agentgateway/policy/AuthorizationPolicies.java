package io.agentgateway.policy;

import io.agentgateway.config.Action;
import io.agentgateway.config.AuthorizationConfig;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.PolicyConfig;
import io.agentgateway.identity.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code authorization.policies} compiled (DESIGN.md §6): every policy whose {@code match} fits the
 * principal, whose {@code resources} fit the resource and whose {@code when:} condition (if any)
 * holds is collected; any deny wins, else any allow, else {@code default_action}. The decision
 * names the policy that made it (the first deny, else the first allow, in config order;
 * {@code default} otherwise).
 *
 * <p>A condition that cannot be evaluated fails closed: an allow policy does not apply, a deny
 * policy does. The first such failure of each policy is logged (not every request's).
 *
 * <p>Immutable and thread-safe; compiled once per config (conditions included), so a decision
 * parses and plans nothing.
 */
public final class AuthorizationPolicies implements PolicyEngine {
    private static final Logger log = LoggerFactory.getLogger(AuthorizationPolicies.class);

    private record Compiled(String name, String path, PrincipalMatcher who, ResourceMatcher what, Action action,
                            Condition when, AtomicBoolean failureLogged) {
    }

    private final List<Compiled> policies;
    private final Action defaultAction;

    private AuthorizationPolicies(List<Compiled> policies, Action defaultAction) {
        this.policies = policies;
        this.defaultAction = defaultAction;
    }

    /**
     * Compiles the section, {@code when:} conditions included.
     *
     * @throws ConfigException listing every condition that does not compile or cannot return a
     *                         bool, at {@code authorization.policies[i].when}
     */
    public static AuthorizationPolicies compile(AuthorizationConfig config) throws ConfigException {
        List<Compiled> out = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        for (int i = 0; i < config.policies().size(); i++) {
            PolicyConfig p = config.policies().get(i);
            String at = "authorization.policies[" + i + "]";
            Condition when = null;
            if (p.when() != null) {
                try {
                    when = Condition.cel(p.when());
                } catch (IllegalArgumentException e) {
                    errors.add(new ConfigError(at + ".when", quote(p.when()) + " " + e.getMessage()));
                }
            }
            out.add(new Compiled(p.name(), at, PrincipalMatcher.of(p.match()), new ResourceMatcher(p.resources()),
                    p.action(), when, new AtomicBoolean()));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new AuthorizationPolicies(List.copyOf(out), config.effectiveDefault());
    }

    @Override
    public Decision decide(Principal principal, Resource resource, RequestFacts facts) {
        String allowedBy = null;
        ConditionInput input = null;
        for (Compiled p : policies) {
            if (p.action() == Action.ALLOW && allowedBy != null) {
                continue; // only a deny could still change the outcome
            }
            if (!p.who().matches(principal) || !p.what().matches(resource)) {
                continue;
            }
            String failure = null;
            if (p.when() != null) {
                if (input == null) {
                    input = new ConditionInput(principal, resource, facts);
                }
                try {
                    if (!p.when().test(input)) {
                        continue;
                    }
                } catch (ConditionFailedException e) {
                    reportOnce(p, e);
                    if (p.action() == Action.ALLOW) {
                        continue;
                    }
                    failure = e.getMessage();
                }
            }
            if (p.action() == Action.DENY) {
                return Decision.deny(p.name(), failure == null ? "denied by policy " + p.name()
                        : "denied by policy " + p.name() + " (its when: condition could not be evaluated)");
            }
            allowedBy = p.name();
        }
        if (allowedBy != null) {
            return Decision.allow(allowedBy);
        }
        return defaultAction == Action.ALLOW ? Decision.allow(Decision.DEFAULT_POLICY)
                : Decision.deny(Decision.DEFAULT_POLICY, "no policy allows it and authorization.default_action is deny");
    }

    private static void reportOnce(Compiled p, ConditionFailedException e) {
        if (p.failureLogged().compareAndSet(false, true)) {
            log.warn("{}.when of policy {} could not be evaluated: {}; the policy is treated as {} ({} policy, fail closed). "
                            + "Further failures of this condition are not logged.",
                    p.path(), p.name(), e.getMessage(), p.action() == Action.ALLOW ? "not matching" : "matching",
                    p.action() == Action.ALLOW ? "allow" : "deny");
        }
    }

    /** As YAML would single-quote it: conditions usually contain double quotes. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
