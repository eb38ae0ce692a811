package io.agentgateway.identity;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A SPIFFE ID of the Kubernetes form {@code spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT}
 * (as Istio and SPIRE's Kubernetes workload registrar issue them).
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");

    /**
     * Parses {@code uri}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static SpiffeId parse(String uri) {
        if (!uri.startsWith("spiffe://")) {
            throw new IllegalArgumentException("not a SPIFFE ID");
        }
        String rest = uri.substring("spiffe://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("SPIFFE ID without a trust domain or path");
        }
        String domain = rest.substring(0, slash);
        if (!TRUST_DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("SPIFFE trust domain " + Quoted.of(domain, 100) + " is not valid");
        }
        if (uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0 || uri.indexOf('%') >= 0) {
            throw new IllegalArgumentException("a SPIFFE ID has no query, fragment or percent-encoding");
        }
        String[] path = rest.substring(slash + 1).split("/", -1);
        if (path.length != 4 || !path[0].equals("ns") || !path[2].equals("sa")) {
            throw new IllegalArgumentException("SPIFFE ID path is not /ns/NAMESPACE/sa/SERVICE_ACCOUNT");
        }
        ServiceAccountName sa = ServiceAccountName.of(path[1], path[3]);
        if (sa == null) {
            throw new IllegalArgumentException("SPIFFE ID names no valid namespace and service account");
        }
        URI.create(uri); // well-formed as a URI too
        return new SpiffeId(domain, sa.namespace(), sa.name());
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
