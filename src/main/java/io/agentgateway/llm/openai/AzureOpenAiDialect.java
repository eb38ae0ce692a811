package io.agentgateway.llm.openai;

import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: OpenAI's bodies, but the model is the deployment in the path
 * ({@code /openai/deployments/NAME/chat/completions?api-version=V}) and the key goes in an
 * {@code api-key} header. Has no default base URL (each resource has its own host).
 *
 * <p>Immutable and thread-safe.
 */
final class AzureOpenAiDialect implements ProviderDialect {
    private final String apiVersion;
    private final SecretRef apiKey;

    AzureOpenAiDialect(String apiVersion, SecretRef apiKey) {
        this.apiVersion = URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
        this.apiKey = apiKey;
    }

    @Override
    public java.util.List<String> clientHeaders() {
        return OpenAiDialect.CLIENT_HEADERS;
    }

    @Override
    public String semanticName() {
        return "azure.ai.openai";
    }

    @Override
    public String defaultBaseUrl() {
        return null;
    }

    @Override
    public boolean supports(Api api) {
        return api != Api.MESSAGES && api != Api.MESSAGES_COUNT_TOKENS;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        String operation = switch (api) {
            case CHAT -> "/chat/completions";
            case EMBEDDINGS -> "/embeddings";
            // The v1 Responses API takes the deployment as the body's model and needs no api-version.
            case RESPONSES -> null;
            case MESSAGES, MESSAGES_COUNT_TOKENS -> throw new IllegalArgumentException("Azure OpenAI has no " + api + " API");
        };
        if (operation == null) {
            return "/openai/v1/responses";
        }
        return "/openai/deployments/" + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8) + operation + "?api-version=" + apiVersion;
    }

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return OpenAiToOpenAi.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        request.credential("api-key", null, OpenAiDialect.current(apiKey));
        return Future.succeededFuture();
    }
}
