package io.agentgateway.llm.openai;

import io.agentgateway.config.Secret;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's own wire format and the servers that copy it (Ollama, vLLM, Gemini's OpenAI endpoint,
 * the built-in mock): {@code /chat/completions} and {@code /embeddings} under the base URL, the
 * key as {@code Authorization: Bearer}, requests passed through by {@link OpenAiToOpenAi}.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpenAiDialect implements ProviderDialect {
    private final String semanticName;
    private final String defaultBaseUrl;
    private final SecretRef apiKey;

    private OpenAiDialect(String semanticName, String defaultBaseUrl, SecretRef apiKey) {
        this.semanticName = semanticName;
        this.defaultBaseUrl = defaultBaseUrl;
        this.apiKey = apiKey;
    }

    /**
     * @param defaultBaseUrl null when the provider's {@code base_url} must be set
     * @param apiKey         null when requests go without a key
     */
    public static ProviderDialect bearer(String semanticName, String defaultBaseUrl, SecretRef apiKey) {
        return new OpenAiDialect(semanticName, defaultBaseUrl, apiKey);
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
        return true;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        return switch (api) {
            case CHAT -> "/chat/completions";
            case EMBEDDINGS -> "/embeddings";
        };
    }

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
