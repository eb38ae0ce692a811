package io.agentgateway.llm;

import io.agentgateway.config.ProviderConfig;
import io.agentgateway.llm.anthropic.AnthropicDialect;
import io.agentgateway.llm.openai.OpenAiDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

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
     * The dialect of {@code config}'s provider type: the one switch on the type.
     *
     * @param apiKey the provider's API key ({@code api_key_secret}), or null when it has none
     * @throws IllegalArgumentException for a type the gateway cannot speak to; its message says why
     *         (the caller reports it at the provider's {@code type} key)
     */
    static ProviderDialect of(ProviderConfig config, SecretRef apiKey) {
        return switch (config.type()) {
            case OPENAI -> OpenAiDialect.openAi(apiKey);
            case OPENAI_COMPATIBLE, MOCK -> OpenAiDialect.bearer("openai", null, apiKey);
            case OLLAMA -> OpenAiDialect.bearer("openai", "http://localhost:11434/v1", apiKey);
            case GEMINI -> OpenAiDialect.bearer("gcp.gemini", "https://generativelanguage.googleapis.com/v1beta/openai", apiKey);
            case AZURE_OPENAI -> OpenAiDialect.azure(config.apiVersion() != null ? config.apiVersion() : "2024-10-21", apiKey);
            case ANTHROPIC -> AnthropicDialect.direct(apiKey);
            case BEDROCK -> throw new IllegalArgumentException("type bedrock is not supported yet");
        };
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

    /** The translator between OpenAI chat completions and this provider's chat API; never null. */
    ChatTranslator chat();

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
