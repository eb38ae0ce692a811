package io.agentgateway.config;

import java.util.List;

/**
 * Who may read the admin API and the console when the admin port is not on loopback: a bearer
 * token held in a Secret ({@code token_secret}, key {@code token_secret_key}), and/or Kubernetes
 * service-account tokens of the identities in {@code service_accounts} (namespace, optional
 * service account glob), validated like callers' Kubernetes tokens.
 */
public record AdminAuthenticationConfig(String tokenSecret, String tokenSecretKey, List<PrincipalSelector> serviceAccounts) {
    public AdminAuthenticationConfig {
        tokenSecretKey = tokenSecretKey == null ? "token" : tokenSecretKey;
        serviceAccounts = serviceAccounts == null ? List.of() : List.copyOf(serviceAccounts);
    }
}
