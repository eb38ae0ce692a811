package io.agentgateway.llm.vertex;

import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.llm.anthropic.OpenAiToAnthropic;
import io.agentgateway.llm.gemini.OpenAiToGemini;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Google Cloud Vertex AI, which serves two wire formats under one project and location
 * ({@code https://REGION-aiplatform.googleapis.com/v1/projects/PROJECT/locations/REGION}):
 * <ul>
 *   <li>Gemini models: {@code /publishers/google/models/MODEL:generateContent} and
 *       {@code :streamGenerateContent?alt=sse}, the Gemini API's body ({@link OpenAiToGemini});</li>
 *   <li>Anthropic's Claude models ({@code claude-*}): {@code /publishers/anthropic/models/MODEL:rawPredict}
 *       and {@code :streamRawPredict}, Anthropic's Messages body without {@code model} and with
 *       {@code anthropic_version: vertex-2023-10-16} ({@link OpenAiToAnthropic#VERTEX}).</li>
 * </ul>
 * Requests carry an OAuth access token ({@code Authorization: Bearer}) from a service-account
 * key in a Secret or the pod's workload identity, fetched off the event loop and cached
 * ({@link GoogleAccessTokens}). No OpenAI-style embeddings API.
 *
 * <p>Immutable and thread-safe.
 */
public final class VertexDialect implements ProviderDialect {
    private final String project;
    private final String region;
    private final GoogleAccessTokens tokens;

    private VertexDialect(String project, String region, GoogleAccessTokens tokens) {
        this.project = project;
        this.region = region;
        this.tokens = tokens;
    }

    /**
     * @param region         a Vertex AI location ({@code us-central1}, {@code europe-west4}, {@code global})
     * @param serviceAccount the Secret key with a service-account JSON key, or null for workload identity
     */
    public static ProviderDialect of(String project, String region, SecretRef serviceAccount, Clock clock) {
        return new VertexDialect(project, region, new GoogleAccessTokens(serviceAccount, clock));
    }

    /** Claude models on Vertex are Anthropic's; every other model is Google's. */
    static boolean anthropic(String model) {
        return model.startsWith("claude");
    }

    @Override
    public String semanticName() {
        return "gcp.vertex_ai";
    }

    @Override
    public String defaultBaseUrl() {
        String host = region.equals("global") ? "aiplatform.googleapis.com" : region + "-aiplatform.googleapis.com";
        return "https://" + host + "/v1/projects/" + encode(project) + "/locations/" + encode(region);
    }

    @Override
    public boolean supports(Api api) {
        return api == Api.CHAT;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        if (api != Api.CHAT) {
            throw new IllegalArgumentException("Vertex AI has no OpenAI " + api + " API here");
        }
        if (anthropic(upstreamModel)) {
            return "/publishers/anthropic/models/" + encode(upstreamModel) + (stream ? ":streamRawPredict" : ":rawPredict");
        }
        return "/publishers/google/models/" + encode(upstreamModel) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return anthropic(upstreamModel) ? OpenAiToAnthropic.VERTEX : OpenAiToGemini.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        return tokens.current(Vertx.currentContext()).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(new GatewayError(ErrorKind.UNAVAILABLE, 503, "upstream_credentials_unavailable",
                        "no Google access token for Vertex AI: " + ar.cause().getMessage(), null, null));
            }
            if (ar.result() != null) {
                request.header("authorization", "Bearer " + ar.result());
            }
            return Future.succeededFuture();
        });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
