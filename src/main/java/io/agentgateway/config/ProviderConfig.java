package io.agentgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream LLM provider. {@code forwardHeaders} is null when not configured (the provider
 * type's default allow-list applies).
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
        List<String> forwardHeaders) {

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
        forwardHeaders = forwardHeaders == null ? null : List.copyOf(forwardHeaders);
    }

    /** A provider with its type's default {@code forward_headers}. */
    public ProviderConfig(String name, ProviderType type, String apiKeySecret, String apiKeySecretKey, String baseUrl,
                          List<String> models, Duration timeout, Duration connectTimeout, Map<String, Secret> headers,
                          String apiVersion, String region, ConnectionPoolConfig connectionPool) {
        this(name, type, apiKeySecret, apiKeySecretKey, baseUrl, models, timeout, connectTimeout, headers, apiVersion, region,
                connectionPool, null);
    }
}
