package io.agentgateway.policy;

import io.agentgateway.identity.Principal;

/**
 * Decides whether a principal may use a resource. Pure and thread-safe; compiled once from
 * config, never parses anything per call.
 */
public interface PolicyEngine {
    Decision decide(Principal principal, Resource resource, RequestFacts facts);

    /** The engine when no policy is configured: everything is allowed. */
    PolicyEngine ALLOW_ALL = (principal, resource, facts) -> Decision.ALLOW_DEFAULT;
}
