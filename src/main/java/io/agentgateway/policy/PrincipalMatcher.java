package io.agentgateway.policy;

import io.agentgateway.config.MatchConfig;
import io.agentgateway.config.PrincipalSelector;
import io.agentgateway.identity.Principal;

import java.util.Set;

/**
 * A compiled {@code match.kubernetes} block (or A2A {@code source}): namespace or namespaces
 * (exact), service account (a glob). Absent fields match anything; an absent block matches every
 * caller, including an anonymous one. Immutable and thread-safe.
 */
public final class PrincipalMatcher {
    public static final PrincipalMatcher ANY = new PrincipalMatcher(Set.of(), null);

    private final Set<String> namespaces;
    private final Glob serviceAccount;

    private PrincipalMatcher(Set<String> namespaces, Glob serviceAccount) {
        this.namespaces = namespaces;
        this.serviceAccount = serviceAccount;
    }

    public static PrincipalMatcher of(MatchConfig match) {
        return match == null ? ANY : of(match.kubernetes());
    }

    public static PrincipalMatcher of(PrincipalSelector selector) {
        if (selector == null) {
            return ANY;
        }
        Set<String> ns = selector.namespace() != null ? Set.of(selector.namespace()) : Set.copyOf(selector.namespaces());
        return new PrincipalMatcher(ns, selector.serviceAccount() == null ? null : Glob.of(selector.serviceAccount()));
    }

    /** True when some caller of {@code namespace} (any service account) can match. */
    public boolean admitsNamespace(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    public boolean matches(Principal p) {
        if (!namespaces.isEmpty() && (p.namespace() == null || !namespaces.contains(p.namespace()))) {
            return false;
        }
        return serviceAccount == null || (p.serviceAccount() != null && serviceAccount.matches(p.serviceAccount()));
    }
}
