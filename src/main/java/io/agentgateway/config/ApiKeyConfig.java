package io.agentgateway.config;

/**
 * One API key: either the name of a Secret holding it ({@code key_secret}, key {@code key_secret_key})
 * or its digest ({@code key_hash: sha256:HEX}); mapped to a namespace and service account.
 */
public record ApiKeyConfig(
        @Required String name,
        String keySecret,
        String keySecretKey,
        String keyHash,
        @Required String namespace,
        String serviceAccount) {

    public ApiKeyConfig {
        keySecretKey = keySecretKey == null ? "api-key" : keySecretKey;
    }
}
