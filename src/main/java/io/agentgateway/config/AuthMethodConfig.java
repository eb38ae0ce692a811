package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/**
 * One authentication method. Which fields apply depends on {@code type}:
 * kubernetes ({@code service_account_validation}, {@code audiences}, {@code kubernetes}),
 * api_key ({@code keys}, {@code header}), jwt ({@code issuer}, {@code jwks_uri}, {@code audiences},
 * {@code namespace_claim}, {@code service_account_claim}), mtls ({@code trust_domain}).
 */
public record AuthMethodConfig(
        @Required Type type,
        Boolean serviceAccountValidation,
        List<String> audiences,
        KubernetesApiConfig kubernetes,
        List<ApiKeyConfig> keys,
        String header,
        String issuer,
        String jwksUri,
        String namespaceClaim,
        String serviceAccountClaim,
        String trustDomain,
        Duration clockSkew,
        Duration cacheTtl,
        List<String> algorithms) {

    public enum Type { KUBERNETES, JWT, API_KEY, MTLS, NONE }

    public AuthMethodConfig {
        serviceAccountValidation = serviceAccountValidation == null ? Boolean.TRUE : serviceAccountValidation;
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        kubernetes = kubernetes == null ? KubernetesApiConfig.IN_CLUSTER : kubernetes;
        keys = keys == null ? List.of() : List.copyOf(keys);
        namespaceClaim = namespaceClaim == null ? "namespace" : namespaceClaim;
        serviceAccountClaim = serviceAccountClaim == null ? "service_account" : serviceAccountClaim;
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        cacheTtl = cacheTtl == null ? Duration.ofSeconds(60) : cacheTtl;
        algorithms = algorithms == null ? List.of() : List.copyOf(algorithms);
    }
}
