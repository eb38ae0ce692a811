package io.agentgateway.llm.openai;

import io.agentgateway.config.Secret;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * OpenAI's own wire format and the servers that copy it (Ollama, vLLM, Gemini's OpenAI endpoint,
 * the built-in mock): {@code /chat/completions} and {@code /embeddings} under the base URL (and,
 * for OpenAI itself, {@code /responses}), the
 * key as {@code Authorization: Bearer}, requests passed through by {@link OpenAiToOpenAi}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiDialect implements ProviderDialect {
    private final String semanticName;
    private final String defaultBaseUrl;
    private final SecretRef apiKey;
    private final boolean responses;

    private OpenAiDialect(String semanticName, String defaultBaseUrl, SecretRef apiKey, boolean responses) {
        this.semanticName = semanticName;
        this.defaultBaseUrl = defaultBaseUrl;
        this.apiKey = apiKey;
        this.responses = responses;
    }

    /** OpenAI itself: the copies' APIs plus the Responses API ({@code /responses}). */
    public static ProviderDialect openAi(SecretRef apiKey) {
        return new OpenAiDialect("openai", "https://api.openai.com/v1", apiKey, true);
    }

    /**
     * @param defaultBaseUrl null when the provider's {@code base_url} must be set
     * @param apiKey         null when requests go without a key
     */
    public static ProviderDialect bearer(String semanticName, String defaultBaseUrl, SecretRef apiKey) {
        return new OpenAiDialect(semanticName, defaultBaseUrl, apiKey, false);
    }

    /** Azure OpenAI: per-deployment paths with {@code api-version}, the key in an {@code api-key} header. */
    public static ProviderDialect azure(String apiVersion, SecretRef apiKey) {
        return new AzureOpenAiDialect(apiVersion, apiKey);
    }

    @Override
    public String semanticName() {
        return semanticName;
    }

    @Override
    public String defaultBaseUrl() {
        return defaultBaseUrl;
    }

    @Override
    public boolean supports(Api api) {
        return switch (api) {
            case CHAT, EMBEDDINGS -> true;
            case RESPONSES -> responses;
            case MESSAGES, MESSAGES_COUNT_TOKENS -> false;
        };
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        return switch (api) {
            case CHAT -> "/chat/completions";
            case EMBEDDINGS -> "/embeddings";
            case RESPONSES -> "/responses";
            case MESSAGES, MESSAGES_COUNT_TOKENS -> throw new IllegalArgumentException("OpenAI-wire providers have no " + api + " API");
        };
    }

    /** OpenAI's organisation, project and beta opt-in headers (Azure OpenAI and the compatible servers accept or ignore them). */
    @Override
    public List<String> clientHeaders() {
        return CLIENT_HEADERS;
    }

    @Override
    public String modelsPath() {
        return "/models";
    }

    @Override
    public boolean servesOpenAiSurface() {
        return true;
    }

    static final List<String> CLIENT_HEADERS = List.of("OpenAI-Organization", "OpenAI-Project", "OpenAI-Beta");

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return OpenAiToOpenAi.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        request.credential("authorization", "Bearer", current(apiKey));
        return Future.succeededFuture();
    }

    static Secret current(SecretRef ref) {
        return ref == null ? null : ref.current();
    }
}
