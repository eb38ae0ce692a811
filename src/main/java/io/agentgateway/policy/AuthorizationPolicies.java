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
 * {@code authorization.policies} compiled: every policy whose {@code match} fits the
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

    /** One policy; its possible decisions are built here once, so deciding allocates none. */
    private record Compiled(String name, String path, PrincipalMatcher who, ResourceMatcher what, Action action,
                            Condition when, AtomicBoolean failureLogged, Decision verdict, Decision verdictOnFailure) {
        Compiled(String name, String path, PrincipalMatcher who, ResourceMatcher what, Action action, Condition when) {
            this(name, path, who, what, action, when, new AtomicBoolean(),
                    action == Action.ALLOW ? Decision.allow(name) : Decision.deny(name, "denied by policy " + name),
                    Decision.deny(name, "denied by policy " + name + " (its when: condition could not be evaluated)"));
        }
    }

    private static final Decision DEFAULT_ALLOW = Decision.allow(Decision.DEFAULT_POLICY);
    private static final Decision DEFAULT_DENY = Decision.deny(Decision.DEFAULT_POLICY,
            "no policy allows it and authorization.default_action is deny");

    private final List<Compiled> policies;
    private final Decision byDefault;

    private AuthorizationPolicies(List<Compiled> policies, Action defaultAction) {
        this.policies = policies;
        this.byDefault = defaultAction == Action.ALLOW ? DEFAULT_ALLOW : DEFAULT_DENY;
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
                    p.action(), when));
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new AuthorizationPolicies(List.copyOf(out), config.effectiveDefault());
    }

    @Override
    public Decision decide(Principal principal, Resource resource, RequestFacts facts) {
        Decision allowed = null;
        ConditionInput input = null;
        for (Compiled p : policies) {
            if (p.action() == Action.ALLOW && allowed != null) {
                continue; // only a deny could still change the outcome
            }
            if (!p.who().matches(principal) || !p.what().matches(resource)) {
                continue;
            }
            boolean failed = false;
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
                    failed = true;
                }
            }
            if (p.action() == Action.DENY) {
                return failed ? p.verdictOnFailure() : p.verdict();
            }
            allowed = p.verdict();
        }
        return allowed != null ? allowed : byDefault;
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
