package io.agentgateway.llm.gemini;

import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Gemini API's own format ({@code api: native}): {@code /models/MODEL:generateContent} and
 * {@code /models/MODEL:streamGenerateContent?alt=sse} under
 * {@code https://generativelanguage.googleapis.com/v1beta}, the key in {@code x-goog-api-key},
 * chat translated by {@link OpenAiToGemini}. Its embeddings API is not OpenAI's, so none here.
 *
 * <p>Immutable and thread-safe.
 */
public final class GeminiDialect implements ProviderDialect {
    private final SecretRef apiKey;

    private GeminiDialect(SecretRef apiKey) {
        this.apiKey = apiKey;
    }

    /** {@code apiKey} null when requests go without one. */
    public static ProviderDialect of(SecretRef apiKey) {
        return new GeminiDialect(apiKey);
    }

    /** The path of Gemini's generate methods for {@code model}, relative to a models collection. */
    static String generate(String model, boolean stream) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public String semanticName() {
        return "gcp.gemini";
    }

    @Override
    public String defaultBaseUrl() {
        return "https://generativelanguage.googleapis.com/v1beta";
    }

    @Override
    public boolean supports(Api api) {
        return api == Api.CHAT;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        if (api != Api.CHAT) {
            throw new IllegalArgumentException("the Gemini API has no OpenAI " + api + " API");
        }
        return "/models/" + generate(upstreamModel, stream);
    }

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return OpenAiToGemini.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        request.credential("x-goog-api-key", null, apiKey == null ? null : apiKey.current());
        return Future.succeededFuture();
    }
}
