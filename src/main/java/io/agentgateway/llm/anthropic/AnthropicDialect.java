package io.agentgateway.llm.anthropic;

import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's Messages API: {@code /messages} under the base URL, the key in {@code x-api-key},
 * {@code anthropic-version} on every request, chat translated by {@link OpenAiToAnthropic}.
 * Anthropic has no embeddings API.
 *
 * <p>Immutable and thread-safe.
 */
public final class AnthropicDialect implements ProviderDialect {
    private final SecretRef apiKey;

    private AnthropicDialect(SecretRef apiKey) {
        this.apiKey = apiKey;
    }

    /** Anthropic's own API ({@code api.anthropic.com}); {@code apiKey} null when requests go without one. */
    public static ProviderDialect direct(SecretRef apiKey) {
        return new AnthropicDialect(apiKey);
    }

    @Override
    public String modelsPath() {
        return "/models";
    }

    /** Anthropic's beta opt-ins ({@code anthropic-beta: ...}). */
    @Override
    public java.util.List<String> clientHeaders() {
        return java.util.List.of("anthropic-beta");
    }

    @Override
    public String semanticName() {
        return "anthropic";
    }

    @Override
    public String defaultBaseUrl() {
        return "https://api.anthropic.com/v1";
    }

    @Override
    public boolean supports(Api api) {
        return api == Api.CHAT || api == Api.MESSAGES || api == Api.MESSAGES_COUNT_TOKENS;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        return switch (api) {
            case CHAT, MESSAGES -> "/messages";
            case MESSAGES_COUNT_TOKENS -> "/messages/count_tokens";
            case EMBEDDINGS, RESPONSES -> throw new IllegalArgumentException("Anthropic has no " + api + " API");
        };
    }

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return OpenAiToAnthropic.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        request.credential("x-api-key", null, apiKey == null ? null : apiKey.current());
        request.header("anthropic-version", OpenAiToAnthropic.VERSION);
        return Future.succeededFuture();
    }
}
