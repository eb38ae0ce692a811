package io.agentgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream LLM provider. {@code credentialsSecret} names the secret with the cloud
 * credentials of a {@code bedrock} provider (keys {@value #AWS_ACCESS_KEY_ID},
 * {@value #AWS_SECRET_ACCESS_KEY}, optionally {@value #AWS_SESSION_TOKEN}); null for the
 * provider's ambient credentials.
 */
public record ProviderConfig(
        @Required String name,
        @Required ProviderType type,
        String apiKeySecret,
        String apiKeySecretKey,
        String baseUrl,
        List<String> models,
        Duration timeout,
        Duration connectTimeout,
        Map<String, Secret> headers,
        String apiVersion,
        String region,
        ConnectionPoolConfig connectionPool,
        String credentialsSecret) {

    public static final String AWS_ACCESS_KEY_ID = "access_key_id";
    public static final String AWS_SECRET_ACCESS_KEY = "secret_access_key";
    public static final String AWS_SESSION_TOKEN = "session_token";

    public enum ProviderType {
        OPENAI, AZURE_OPENAI, ANTHROPIC, OLLAMA, OPENAI_COMPATIBLE, GEMINI, BEDROCK, MOCK
    }

    public ProviderConfig {
        apiKeySecretKey = apiKeySecretKey == null ? "api-key" : apiKeySecretKey;
        models = models == null ? List.of("*") : List.copyOf(models);
        timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectionPool = connectionPool == null ? ConnectionPoolConfig.DEFAULT : connectionPool;
    }
}
