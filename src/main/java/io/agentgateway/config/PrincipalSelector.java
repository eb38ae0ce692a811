package io.agentgateway.config;

import java.util.List;

/**
 * Which callers something applies to: the {@code match.kubernetes} block and the A2A
 * {@code source}. All given fields must match; absent ones match anything. {@code service_account}
 * may be a glob.
 */
public record PrincipalSelector(String namespace, List<String> namespaces, String serviceAccount) {
    public PrincipalSelector {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }
}
