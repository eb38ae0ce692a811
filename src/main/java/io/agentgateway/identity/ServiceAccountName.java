package io.agentgateway.identity;

import java.util.regex.Pattern;

/** A Kubernetes service-account user name, {@code system:serviceaccount:NAMESPACE:NAME}, taken apart. */
record ServiceAccountName(String namespace, String name) {
    private static final String PREFIX = "system:serviceaccount:";
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** The parts of {@code username}, or null when it is not a well-formed service-account user name. */
    static ServiceAccountName parse(String username) {
        if (username == null || !username.startsWith(PREFIX)) {
            return null;
        }
        String rest = username.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return of(rest.substring(0, colon), rest.substring(colon + 1));
    }

    /** A namespace (DNS label) and service account (DNS subdomain), or null when either is malformed. */
    static ServiceAccountName of(String namespace, String name) {
        if (namespace == null || name == null || !DNS_LABEL.matcher(namespace).matches()
                || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return null;
        }
        return new ServiceAccountName(namespace, name);
    }
}
