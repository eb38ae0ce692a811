package io.agentgateway.llm.bedrock;

import io.agentgateway.config.Secret;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Amazon Bedrock's Converse API: {@code /model/ID/converse} and {@code /model/ID/converse-stream}
 * under {@code https://bedrock-runtime.REGION.amazonaws.com}, chat translated by
 * {@link OpenAiToBedrock}. Requests are signed with AWS Signature Version 4 by the AWS SDK's
 * signer (service {@code bedrock}), with keys from a Secret or, when none is configured, the AWS
 * SDK's default credentials chain (the pod's web identity among them), fetched off the event
 * loop and cached; or, with a Bedrock API key, sent with {@code Authorization: Bearer}. Bedrock
 * has no OpenAI-style embeddings API here.
 *
 * <p>Immutable and thread-safe.
 */
public final class BedrockDialect implements ProviderDialect {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final SecretRef apiKey;
    private final AwsCredentialSource credentials;
    private final Clock clock;

    private BedrockDialect(String region, SecretRef apiKey, AwsCredentialSource credentials, Clock clock) {
        this.region = region;
        this.apiKey = apiKey;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Signed with keys from a Secret: {@code accessKeyId}, {@code secretAccessKey} and, for temporary keys, {@code sessionToken} (null when absent). */
    public static ProviderDialect secretKeys(String region, SecretRef accessKeyId, SecretRef secretAccessKey, SecretRef sessionToken, Clock clock) {
        return new BedrockDialect(region, null, AwsCredentialSource.secret(accessKeyId, secretAccessKey, sessionToken), clock);
    }

    /** Signed with the AWS SDK's default credentials chain (environment, web identity, container, instance). */
    public static ProviderDialect defaultChain(String region, Clock clock) {
        return new BedrockDialect(region, null, AwsCredentialSource.provider(DefaultCredentialsProvider.builder().build(), clock), clock);
    }

    /** With a Bedrock API key, sent as a bearer token instead of a signature. */
    public static ProviderDialect apiKey(String region, SecretRef apiKey) {
        return new BedrockDialect(region, apiKey, null, Clock.systemUTC());
    }

    /** The region in a Bedrock runtime host name ({@code bedrock-runtime.us-east-1.amazonaws.com}), or null. */
    public static String regionOf(String host) {
        String[] labels = host == null ? new String[0] : host.split("\\.");
        for (int i = 0; i + 1 < labels.length; i++) {
            if (labels[i].startsWith("bedrock-runtime") && labels[i + 1].matches("[a-z]{2}(-gov)?-[a-z]+-\\d")) {
                return labels[i + 1];
            }
        }
        return null;
    }

    @Override
    public String semanticName() {
        return "aws.bedrock";
    }

    @Override
    public String defaultBaseUrl() {
        return region == null ? null : "https://bedrock-runtime." + region + ".amazonaws.com";
    }

    @Override
    public boolean supports(Api api) {
        return api == Api.CHAT;
    }

    @Override
    public String path(Api api, String upstreamModel, boolean stream) {
        if (api != Api.CHAT) {
            throw new IllegalArgumentException("Bedrock has no " + api + " API here");
        }
        // The model id may be an ARN or hold a ':' (anthropic.claude-...-v1:0): one encoded path segment.
        return "/model/" + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20")
                + (stream ? "/converse-stream" : "/converse");
    }

    @Override
    public ChatTranslator chat(String upstreamModel) {
        return OpenAiToBedrock.INSTANCE;
    }

    @Override
    public Future<Void> authorize(UpstreamRequest request, Buffer body) {
        if (credentials == null) {
            Secret key = apiKey == null ? null : apiKey.current();
            request.credential("authorization", "Bearer", key);
            return Future.succeededFuture();
        }
        Context context = Vertx.currentContext();
        Future<AwsCredentialsIdentity> identity = credentials.current(context);
        if (identity.succeeded()) {
            return sign(request, body, identity.result());
        }
        return identity.transform(ar -> ar.failed()
                ? Future.failedFuture(new GatewayError(ErrorKind.UNAVAILABLE, 503, "upstream_credentials_unavailable",
                "no AWS credentials to sign the request to Bedrock: " + ar.cause().getMessage(), null, null))
                : sign(request, body, ar.result()));
    }

    private Future<Void> sign(UpstreamRequest request, Buffer body, AwsCredentialsIdentity identity) {
        if (identity == null) {
            return Future.succeededFuture();
        }
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method().name()))
                .uri(request.target())
                .putHeader("content-type", request.headers().get("content-type"))
                .build();
        byte[] bytes = body.getBytes();
        SignedRequest signed = SIGNER.sign(r -> r.identity(identity).request(unsigned)
                .payload(ContentStreamProvider.fromByteArrayUnsafe(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("host") && !h.getValue().isEmpty()) {
                request.header(h.getKey(), h.getValue().get(0));
            }
        }
        return Future.succeededFuture();
    }
}
