package io.agentgateway.policy;

import io.agentgateway.identity.Principal;
import io.vertx.core.MultiMap;

/**
 * "May this caller use this resource, and who says so": the resource policies and, for
 * {@code agent:NS/NAME}, the A2A source-to-target rules, combined as the gateway combines them
 * when it authorizes a request. One implementation for the gateway's refusals, the {@code check}
 * command and the console's simulator, so all three name the same policy and say the same thing.
 *
 * <p>Immutable and thread-safe.
 */
public final class PolicyCheck {
    private final PolicyEngine policies;
    private final A2aRules rules;

    public PolicyCheck(PolicyEngine policies, A2aRules rules) {
        this.policies = policies;
        this.rules = rules;
    }

    /**
     * What the gateway decides for {@code caller} using {@code target}.
     *
     * @param facts the request facts {@code when:} conditions see; {@link #facts} builds typical ones
     */
    public Explanation explain(Principal caller, Resource target, RequestFacts facts) {
        Decision rule = target instanceof Resource.Agent agent ? rules.decide(caller, agent) : null;
        Decision policy = policies.decide(caller, target, facts);
        return new Explanation(caller, target, policy, rule);
    }

    /** Request facts for a simulated call: the path a call of that resource uses unless {@code path} is given. */
    public static RequestFacts facts(Resource target, String method, String path, MultiMap headers) {
        String p = path != null ? path : switch (target) {
            case Resource.Model m -> "/v1/chat/completions";
            case Resource.McpTool t -> "/mcp/" + t.server();
            case Resource.Agent a -> "/" + a.namespace() + "/" + a.name();
            case Resource.None n -> "/";
        };
        return new RequestFacts(method, p, headers);
    }

    /**
     * The decision the gateway records (and audits) for a request: a deny from the A2A rules wins
     * (its rule is named); else the resource policies decide, except that when none applied (the
     * default) an allowing rule is what allowed the call.
     */
    public static Decision decisive(Decision rule, Decision policy) {
        if (rule != null && !rule.allowed()) {
            return rule;
        }
        return rule != null && policy.allowed() && Decision.DEFAULT_POLICY.equals(policy.policy()) ? rule : policy;
    }

    /** The message of the 403 when an A2A rule denies. */
    public static String ruleRefusal(Decision rule, Resource target) {
        return rule.reason() != null ? rule.reason() : "rule " + rule.policy() + " denies " + target.id();
    }

    /** The message of the 403 when the resource policies deny. */
    public static String policyRefusal(Principal caller, Resource target, Decision policy) {
        String who = caller.namespace() == null ? "the caller" : "namespace \"" + caller.namespace() + "\"";
        return who + " may not use " + target.id() + " (policy " + policy.policy() + ")";
    }

    /**
     * One explained decision.
     *
     * @param policy the resource policies' decision
     * @param rule   the A2A rules' decision; null unless the resource is an agent
     */
    public record Explanation(Principal caller, Resource resource, Decision policy, Decision rule) {
        public boolean allowed() {
            return policy.allowed() && (rule == null || rule.allowed());
        }

        /** The decision the gateway records; its {@code policy} is the name a refusal carries. */
        public Decision decisive() {
            return PolicyCheck.decisive(rule, policy);
        }

        /** The refusal's message, as the gateway's 403 says it; null when allowed. */
        public String refusal() {
            if (rule != null && !rule.allowed()) {
                return ruleRefusal(rule, resource);
            }
            return policy.allowed() ? null : policyRefusal(caller, resource, policy);
        }
    }
}
