package io.agentgateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream LLM provider. {@code credentialsSecret} names the secret with the cloud
 * credentials of a {@code bedrock} provider (keys {@value #AWS_ACCESS_KEY_ID},
 * {@value #AWS_SECRET_ACCESS_KEY}, optionally {@value #AWS_SESSION_TOKEN}) or a {@code vertex_ai}
 * one (key {@value #GOOGLE_CREDENTIALS}, a service-account JSON key); null for the provider's
 * ambient credentials. {@code api} picks a {@code gemini} provider's API (null: OpenAI's);
 * {@code project} is a {@code vertex_ai} provider's Google Cloud project.
 * {@code forwardHeaders} is null when not configured (the provider type's default allow-list applies).
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
        String credentialsSecret,
        WireApi api,
        String project,
        List<String> forwardHeaders) {

    public static final String AWS_ACCESS_KEY_ID = "access_key_id";
    public static final String AWS_SECRET_ACCESS_KEY = "secret_access_key";
    public static final String AWS_SESSION_TOKEN = "session_token";
    public static final String GOOGLE_CREDENTIALS = "credentials.json";

    /** Which of its APIs a provider that has two is spoken to through. */
    public enum WireApi {
        /** The provider's OpenAI-compatible endpoint. */
        OPENAI,
        /** The provider's own API. */
        NATIVE
    }

    public enum ProviderType {
        OPENAI, AZURE_OPENAI, ANTHROPIC, OLLAMA, OPENAI_COMPATIBLE, GEMINI, BEDROCK, VERTEX_AI, MOCK
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
                connectionPool, null, null, null, null);
    }

    /** A provider with its type's default {@code forward_headers}. */
    public ProviderConfig(String name, ProviderType type, String apiKeySecret, String apiKeySecretKey, String baseUrl,
                          List<String> models, Duration timeout, Duration connectTimeout, Map<String, Secret> headers,
                          String apiVersion, String region, ConnectionPoolConfig connectionPool, String credentialsSecret,
                          WireApi api, String project) {
        this(name, type, apiKeySecret, apiKeySecretKey, baseUrl, models, timeout, connectTimeout, headers, apiVersion, region,
                connectionPool, credentialsSecret, api, project, null);
    }
}
