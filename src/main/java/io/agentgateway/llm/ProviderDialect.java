package io.agentgateway.llm;

import io.agentgateway.config.ProviderConfig;
import io.agentgateway.llm.anthropic.AnthropicDialect;
import io.agentgateway.llm.bedrock.BedrockDialect;
import io.agentgateway.llm.gemini.GeminiDialect;
import io.agentgateway.llm.vertex.VertexDialect;
import io.agentgateway.llm.openai.OpenAiDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;

/**
 * How the gateway speaks to one family of upstream wire formats: where each API is (paths
 * relative to the provider's base URL), which APIs it has at all (its capabilities), how a
 * request carries the gateway's credentials, and the {@link ChatTranslator} between the client's
 * OpenAI chat completions and the provider's own format. One implementation per wire family,
 * chosen by the one switch on the provider type in {@link #of}; nothing else in the gateway
 * switches on the type.
 *
 * <p>Implementations are immutable and thread-safe: one instance per configured provider, used
 * by every event loop at once. No method blocks; {@link #authorize} may complete later when a
 * credential must first be fetched (a cloud token), which then happens off the event loop and is
 * cached. Arguments are never null unless a parameter says so; methods return null only where
 * documented.
 */
public interface ProviderDialect {
    /** The client-facing APIs a dialect may serve. */
    enum Api {
        /** {@code POST /v1/chat/completions}, through {@link #chat()}. */
        CHAT,
        /** {@code POST /v1/embeddings}, forwarded in OpenAI's format. */
        EMBEDDINGS,
        /** OpenAI's Responses API, {@code POST /v1/responses}, passed through; without it Responses requests are translated to chat. */
        RESPONSES,
        /** Anthropic's Messages API, {@code POST /v1/messages}, passed through; without it Messages requests are translated to chat. */
        MESSAGES,
        /** Anthropic's {@code POST /v1/messages/count_tokens}; without it the gateway estimates the count itself. */
        MESSAGES_COUNT_TOKENS
    }

    /**
     * The secrets a dialect reads, declared while planning (nothing is read then); values are
     * read per request, so rotation needs no reload.
     */
    interface Secrets {
        /** A secret the provider cannot work without: the gateway is not ready until it can be read. */
        SecretRef require(String name, String key);

        /** A secret the provider uses when it is there. */
        SecretRef optional(String name, String key);

        /** Declares nothing: for a dialect built outside a plan (tests, tools); every reference reads as absent. */
        Secrets NONE = new Secrets() {
            @Override
            public SecretRef require(String name, String key) {
                return null;
            }

            @Override
            public SecretRef optional(String name, String key) {
                return null;
            }
        };
    }

    /**
     * The dialect of {@code config}'s provider type: the one switch on the type. Pure: it
     * declares secrets through {@code secrets} and builds objects, but reads and calls nothing.
     *
     * @throws IllegalArgumentException for a type or setting the gateway cannot speak to; its
     *         message says why (the caller reports it at the provider's {@code type} key)
     */
    static ProviderDialect of(ProviderConfig config, Secrets secrets, Clock clock) {
        SecretRef apiKey = config.apiKeySecret() == null ? null : secrets.require(config.apiKeySecret(), config.apiKeySecretKey());
        return switch (config.type()) {
            case OPENAI -> OpenAiDialect.openAi(apiKey);
            case OPENAI_COMPATIBLE, MOCK -> OpenAiDialect.bearer("openai", null, apiKey);
            case OLLAMA -> OpenAiDialect.bearer("openai", "http://localhost:11434/v1", apiKey);
            case GEMINI -> config.api() == ProviderConfig.WireApi.NATIVE ? GeminiDialect.of(apiKey)
                    : OpenAiDialect.bearer("gcp.gemini", "https://generativelanguage.googleapis.com/v1beta/openai", apiKey);
            case VERTEX_AI -> VertexDialect.of(config.project(), config.region(), config.credentialsSecret() == null ? null
                    : secrets.require(config.credentialsSecret(), ProviderConfig.GOOGLE_CREDENTIALS), clock);
            case AZURE_OPENAI -> OpenAiDialect.azure(config.apiVersion() != null ? config.apiVersion() : "2024-10-21", apiKey);
            case ANTHROPIC -> AnthropicDialect.direct(apiKey);
            case BEDROCK -> bedrock(config, apiKey, secrets, clock);
        };
    }

    private static ProviderDialect bedrock(ProviderConfig config, SecretRef apiKey, Secrets secrets, Clock clock) {
        String region = config.region() != null ? config.region()
                : config.baseUrl() == null ? null : BedrockDialect.regionOf(java.net.URI.create(config.baseUrl()).getHost());
        if (region == null) {
            throw new IllegalArgumentException("type bedrock needs region to sign requests: set region (base_url "
                    + config.baseUrl() + " names none)");
        }
        if (apiKey != null) {
            return BedrockDialect.apiKey(region, apiKey);
        }
        String secret = config.credentialsSecret();
        if (secret == null) {
            return BedrockDialect.defaultChain(region, clock);
        }
        return BedrockDialect.secretKeys(region, secrets.require(secret, ProviderConfig.AWS_ACCESS_KEY_ID),
                secrets.require(secret, ProviderConfig.AWS_SECRET_ACCESS_KEY), secrets.optional(secret, ProviderConfig.AWS_SESSION_TOKEN),
                clock);
    }

    /** The provider's name in the GenAI semantic conventions ({@code gen_ai.provider.name}): {@code openai}, {@code anthropic}... */
    String semanticName();

    /** The base URL used when the provider's {@code base_url} is not set, or null when it must be set. */
    String defaultBaseUrl();

    /** True when the provider serves {@code api}; {@link #path} is only asked for such an API. */
    boolean supports(Api api);

    /**
     * The path (with query) of {@code api} for {@code upstreamModel}, relative to the base URL's
     * path (it starts with {@code /}). {@code stream} says whether the client asked for a stream,
     * for providers whose streaming endpoint differs.
     */
    String path(Api api, String upstreamModel, boolean stream);

    /**
     * The client headers forwarded to the provider when its {@code forward_headers} is not set:
     * the ones its API lets the caller choose (OpenAI's organisation, project and beta opt-ins).
     * Never a credential. None by default.
     */
    default java.util.List<String> clientHeaders() {
        return java.util.List.of();
    }

    /**
     * The path (relative to the base URL's) of the provider's model list, answered as
     * {@code {"data":[{"id":...}]}} (OpenAI's and Anthropic's shape), or null when it has none
     * the gateway reads. {@code GET /v1/models} lists its models from there when the provider's
     * {@code models} are globs.
     */
    default String modelsPath() {
        return null;
    }

    /**
     * True when the provider serves the rest of OpenAI's API under its base URL, as OpenAI
     * does ({@code /completions}, {@code /moderations}, {@code /images/*}, {@code /audio/*},
     * {@code /files}, {@code /batches}): those requests are then forwarded unchanged.
     */
    default boolean servesOpenAiSurface() {
        return false;
    }

    /**
     * The translator between OpenAI chat completions and this provider's chat API for
     * {@code upstreamModel} (a provider that hosts several wire formats, such as Vertex AI,
     * answers per model); never null.
     */
    ChatTranslator chat(String upstreamModel);

    /**
     * Puts the gateway's credentials for this provider on {@code request} (and any header the
     * wire format requires of every request, such as a version). {@code body} is the exact
     * body that will be sent, for signing schemes that cover it; it is not changed. A credential
     * that is missing (a secret not yet readable) leaves the request without it and the
     * provider's own 401 reaches the client.
     *
     * @return completes, on the calling event loop's context, once the request may be opened; fails
     *         with a {@link io.agentgateway.server.GatewayError} when a credential could not be obtained
     */
    Future<Void> authorize(UpstreamRequest request, Buffer body);
}
