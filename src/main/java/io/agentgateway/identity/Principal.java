package io.agentgateway.identity;

import java.util.Map;
import java.util.Objects;

/**
 * Who sent a request, as established by an {@link Authenticator}: the Kubernetes namespace and
 * service account the gateway governs by, the credential's subject, and the method that
 * recognised it. Immutable. {@code serviceAccount} may be null (an API key mapped only to a
 * namespace); {@code namespace} is null only for {@link #ANONYMOUS}.
 */
public record Principal(String namespace, String serviceAccount, String subject, String method, Map<String, Object> claims) {
    /** The caller when authentication is off ({@code type: none}). */
    public static final Principal ANONYMOUS = new Principal(null, null, "anonymous", "none", Map.of());

    public Principal {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(method, "method");
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /** A Kubernetes service account principal, subject {@code system:serviceaccount:NS:SA}. */
    public static Principal serviceAccount(String namespace, String serviceAccount, String method, Map<String, Object> claims) {
        return new Principal(namespace, serviceAccount,
                "system:serviceaccount:" + namespace + ":" + serviceAccount, method, claims);
    }
}
