package io.agentgateway.llm;

import io.agentgateway.config.Durations;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.ProviderConfig.ProviderType;
import io.agentgateway.config.Secret;
import io.agentgateway.llm.anthropic.OpenAiToAnthropic;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.policy.Glob;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.upstream.UpstreamFailures;
import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.ConnectionGates;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One configured upstream provider, compiled: where it is, how it authenticates, which models it
 * serves, and which {@link ChatTranslator} speaks its wire format (a plain switch on the type).
 * The API key is read per request from its {@link SecretRef}, so rotation needs no reload.
 *
 * <p>Immutable and thread-safe.
 */
public final class Provider {
    private final ProviderConfig config;
    private final UpstreamRequest.Endpoint endpoint;
    private final String basePath;
    private final SecretRef apiKey;
    private final List<Glob> models;
    private final ChatTranslator translator;
    private final String apiVersion;
    private final long connectTimeoutMillis;
    private final ConnectionGate.Limits poolLimits;

    /**
     * @param baseUrl the resolved base URL (the config's, or the type's default, or the mock's)
     * @param apiKey  null when the provider needs no key
     */
    public Provider(ProviderConfig config, String baseUrl, SecretRef apiKey) {
        this.config = config;
        this.endpoint = UpstreamRequest.Endpoint.parse(baseUrl);
        String path = URI.create(baseUrl).getRawPath();
        this.basePath = path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.apiKey = apiKey;
        this.models = config.models().stream().map(Glob::of).toList();
        this.translator = switch (config.type()) {
            case ANTHROPIC -> OpenAiToAnthropic.INSTANCE;
            case OPENAI, AZURE_OPENAI, OLLAMA, OPENAI_COMPATIBLE, GEMINI, MOCK -> OpenAiToOpenAi.INSTANCE;
            case BEDROCK -> throw new IllegalArgumentException("type bedrock is not supported yet");
        };
        this.apiVersion = config.apiVersion() != null ? config.apiVersion() : "2024-10-21";
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.poolLimits = ConnectionGate.Limits.of(config.connectionPool());
    }

    /** The base URL a provider type uses when {@code base_url} is not set; null when it must be set. */
    public static String defaultBaseUrl(ProviderConfig config) {
        return switch (config.type()) {
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com/v1";
            case OLLAMA -> "http://localhost:11434/v1";
            case GEMINI -> "https://generativelanguage.googleapis.com/v1beta/openai";
            case BEDROCK -> config.region() == null ? null : "https://bedrock-runtime." + config.region() + ".amazonaws.com";
            case AZURE_OPENAI, OPENAI_COMPATIBLE, MOCK -> null;
        };
    }

    public String name() {
        return config.name();
    }

    public ProviderType type() {
        return config.type();
    }

    /** The provider's name in the GenAI semantic conventions ({@code gen_ai.provider.name}). */
    public String semanticName() {
        return switch (config.type()) {
            case OPENAI, OPENAI_COMPATIBLE, OLLAMA, MOCK -> "openai";
            case AZURE_OPENAI -> "azure.ai.openai";
            case ANTHROPIC -> "anthropic";
            case GEMINI -> "gcp.gemini";
            case BEDROCK -> "aws.bedrock";
        };
    }

    public ChatTranslator translator() {
        return translator;
    }

    public ProviderConfig config() {
        return config;
    }

    public boolean serves(String model) {
        for (Glob g : models) {
            if (g.matches(model)) {
                return true;
            }
        }
        return false;
    }

    public boolean servesEmbeddings() {
        return config.type() != ProviderType.ANTHROPIC;
    }

    /** The request path (with query) for chat completions of {@code upstreamModel}. */
    public String chatPath(String upstreamModel) {
        return switch (config.type()) {
            case AZURE_OPENAI -> basePath + "/openai/deployments/" + encode(upstreamModel) + "/chat/completions?api-version=" + encode(apiVersion);
            case ANTHROPIC -> basePath + "/messages";
            default -> basePath + "/chat/completions";
        };
    }

    public String embeddingsPath(String upstreamModel) {
        return switch (config.type()) {
            case AZURE_OPENAI -> basePath + "/openai/deployments/" + encode(upstreamModel) + "/embeddings?api-version=" + encode(apiVersion);
            default -> basePath + "/embeddings";
        };
    }

    /**
     * The path of the provider's own Responses API ({@code POST /v1/responses}), or null when the
     * provider type has none and Responses requests are translated to chat completions.
     */
    public String responsesPath() {
        return switch (config.type()) {
            case OPENAI -> basePath + "/responses";
            case AZURE_OPENAI -> basePath + "/openai/v1/responses";
            default -> null;
        };
    }

    /** The path of Anthropic's Messages API (or its {@code count_tokens} when asked), or null for a provider that is not Anthropic. */
    public String anthropicMessagesPath(boolean countTokens) {
        return config.type() == ProviderType.ANTHROPIC ? basePath + (countTokens ? "/messages/count_tokens" : "/messages") : null;
    }

    /**
     * Opens a request to this provider on the event loop's client, with the provider's
     * credentials and headers (never the client's) and the trace headers of its client span.
     * The provider's {@code timeout} is not set here: the caller watches the call with the
     * loop's {@link io.agentgateway.upstream.Deadlines} (time to the answer and every gap
     * between stream chunks).
     */
    public Future<HttpClientRequest> open(HttpClient client, ConnectionGate.Permit permit, String path, boolean stream,
                                          String requestId, MultiMap trace) {
        UpstreamRequest request = UpstreamRequest.to(endpoint, HttpMethod.POST, path)
                .header("content-type", "application/json")
                .header("accept", stream ? "text/event-stream" : "application/json");
        if (requestId != null) {
            request.header("x-request-id", requestId);
        }
        if (connectTimeoutMillis != ListenerContext.DEFAULT_CONNECT_TIMEOUT_MILLIS) {
            request.connectTimeout(connectTimeoutMillis);
        }
        Secret key = apiKey == null ? null : apiKey.current();
        switch (config.type()) {
            case AZURE_OPENAI -> request.credential("api-key", null, key);
            case ANTHROPIC -> request.credential("x-api-key", null, key);
            default -> request.credential("authorization", "Bearer", key);
        }
        if (config.type() == ProviderType.ANTHROPIC) {
            request.header("anthropic-version", OpenAiToAnthropic.VERSION);
        }
        return request.credentials(config.headers()).trace(trace).open(client, permit);
    }

    /** The gate in front of this provider ({@code connection_pool}), shared by every event loop of {@code vertx}. */
    public ConnectionGate gate(Vertx vertx) {
        return ConnectionGates.of(vertx).gate("llm", config.name(), poolLimits);
    }

    /** What went wrong calling this provider, as the client is told it. */
    public GatewayError failure(Throwable cause) {
        return UpstreamFailures.map("provider " + config.name(), cause, "provider " + config.name() + " sent nothing for "
                + Durations.format(config.timeout()) + " (its timeout)");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "provider " + config.name();
    }
}
