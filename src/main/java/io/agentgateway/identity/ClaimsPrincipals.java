package io.agentgateway.identity;

import com.nimbusds.jwt.JWTClaimsSet;

import java.util.LinkedHashMap;
import java.util.Map;

/** How verified JWT claims name a principal: the Kubernetes service-account way, or configured claim names. */
final class ClaimsPrincipals {
    private ClaimsPrincipals() {
    }

    /**
     * A Kubernetes service-account token: {@code sub} is {@code system:serviceaccount:NS:SA}; the
     * {@code kubernetes.io} claim of bound tokens, when present, must agree with it.
     */
    static JwtAuthenticator.PrincipalMapping kubernetes() {
        return (claims, method) -> {
            ServiceAccountName sa = ServiceAccountName.parse(claims.getSubject());
            if (sa == null) {
                throw AuthenticationException.invalid("the token's subject " + Quoted.of(claims.getSubject(), 100)
                        + " is not a service account (system:serviceaccount:NAMESPACE:NAME)");
            }
            Object k8s = claims.getClaim("kubernetes.io");
            if (k8s instanceof Map<?, ?> m && m.get("namespace") != null && !sa.namespace().equals(m.get("namespace"))) {
                throw AuthenticationException.invalid("the token's kubernetes.io.namespace does not match its subject");
            }
            return Principal.serviceAccount(sa.namespace(), sa.name(), method, plain(claims));
        };
    }

    /**
     * Any issuer's token: the namespace from {@code namespaceClaim}, the service account from
     * {@code serviceAccountClaim} (optional). A token without the namespace claim whose subject is
     * a service account ({@code system:serviceaccount:NS:SA}, another cluster's token) takes both from it.
     */
    static JwtAuthenticator.PrincipalMapping named(String namespaceClaim, String serviceAccountClaim) {
        return (claims, method) -> {
            Object ns = claims.getClaim(namespaceClaim);
            Object account = claims.getClaim(serviceAccountClaim);
            if (ns == null) {
                ServiceAccountName sa = ServiceAccountName.parse(claims.getSubject());
                if (sa == null) {
                    throw AuthenticationException.invalid("the token has no \"" + namespaceClaim + "\" claim naming its namespace");
                }
                return Principal.serviceAccount(sa.namespace(), sa.name(), method, plain(claims));
            }
            if (!(ns instanceof String namespace) || !ServiceAccountName.DNS_LABEL.matcher(namespace).matches()) {
                throw AuthenticationException.invalid("the token's \"" + namespaceClaim + "\" claim " + Quoted.of(ns, 100)
                        + " is not a namespace name");
            }
            String serviceAccount = null;
            if (account != null) {
                if (!(account instanceof String s) || !ServiceAccountName.DNS_SUBDOMAIN.matcher(s).matches()) {
                    throw AuthenticationException.invalid("the token's \"" + serviceAccountClaim + "\" claim "
                            + Quoted.of(account, 100) + " is not a service account name");
                }
                serviceAccount = s;
            }
            String subject = claims.getSubject() != null ? claims.getSubject()
                    : serviceAccount != null ? "system:serviceaccount:" + namespace + ":" + serviceAccount : claims.getIssuer();
            return new Principal(namespace, serviceAccount, subject, method, plain(claims));
        };
    }

    /** The claims as JSON values (dates as epoch seconds), without nulls. */
    private static Map<String, Object> plain(JWTClaimsSet claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.toJSONObject().forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
