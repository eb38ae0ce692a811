package io.agentgateway.config;

import java.time.Duration;

/**
 * How to reach the Kubernetes API server. Absent fields come from the in-cluster environment at
 * runtime ({@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the mounted service-account token and CA).
 */
public record KubernetesApiConfig(String apiServer, String caFile, String tokenFile, Duration cacheTtl, String issuer) {
    public static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final KubernetesApiConfig IN_CLUSTER = new KubernetesApiConfig(null, null, null, null, null);

    public KubernetesApiConfig {
        caFile = caFile == null ? SA_DIR + "/ca.crt" : caFile;
        tokenFile = tokenFile == null ? SA_DIR + "/token" : tokenFile;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(60) : cacheTtl;
    }
}
