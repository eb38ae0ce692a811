package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream speaking Amazon Bedrock's runtime API as its reference shows it:
 * {@code POST /model/ID/converse} answered with a Converse response, {@code POST
 * /model/ID/converse-stream} with {@code application/vnd.amazon.eventstream} frames
 * (messageStart, contentBlockDelta..., contentBlockStop, messageStop, metadata), each frame built by
 * AWS's own encoder. Every request must carry a valid AWS Signature Version 4 for service
 * {@code bedrock} in its region: the server recomputes it with the AWS SDK's signer from what it
 * received (method, path, signed headers, body, {@code X-Amz-Date}) and the keys it knows, and
 * answers 403 with Bedrock's error body when it differs, as AWS does.
 */
public final class FakeBedrock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    public static final int INPUT_TOKENS = 21;
    public static final int OUTPUT_TOKENS = 9;

    public record Received(String path, MultiMap headers, JsonNode body) {
    }

    private final String region;
    private final AwsCredentialsIdentity credentials;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final LoopbackServer server;

    private FakeBedrock(String region, AwsCredentialsIdentity credentials) {
        this.region = region;
        this.credentials = credentials;
        this.server = LoopbackServer.start(this::handle);
    }

    /** A Bedrock in {@code region} that accepts requests signed with these keys ({@code sessionToken} may be null). */
    public static FakeBedrock start(String region, String accessKeyId, String secretAccessKey, String sessionToken) {
        AwsCredentialsIdentity keys = sessionToken == null ? AwsCredentialsIdentity.create(accessKeyId, secretAccessKey)
                : AwsSessionCredentialsIdentity.create(accessKeyId, secretAccessKey, sessionToken);
        return new FakeBedrock(region, keys);
    }

    public String baseUrl() {
        return server.url();
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    public int requests() {
        return received.size();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            HttpServerResponse response = request.response();
            JsonNode json;
            try {
                json = JSON.readTree(body.getBytes());
            } catch (Exception e) {
                error(response, 400, "ValidationException", "Malformed input request");
                return;
            }
            received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json));
            String why = signatureProblem(request, body);
            if (why != null) {
                error(response, 403, "InvalidSignatureException", why);
                return;
            }
            String path = request.path();
            if (!path.startsWith("/model/") || !(path.endsWith("/converse") || path.endsWith("/converse-stream"))) {
                error(response, 404, "UnknownOperationException", "Unknown operation");
                return;
            }
            if (!json.path("messages").isArray() || json.has("model")) {
                error(response, 400, "ValidationException", "messages is required; the model goes in the path");
                return;
            }
            if (path.endsWith("/converse")) {
                response.putHeader("content-type", "application/json").end("""
                        {"metrics":{"latencyMs":120},"output":{"message":{"content":[{"text":"Hello from Bedrock."}],"role":"assistant"}},\
                        "stopReason":"end_turn","usage":{"inputTokens":%d,"outputTokens":%d,"totalTokens":%d}}"""
                        .formatted(INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS));
                return;
            }
            response.setChunked(true).putHeader("content-type", "application/vnd.amazon.eventstream");
            response.write(frame("messageStart", "{\"p\":\"abcdefghij\",\"role\":\"assistant\"}"));
            response.write(frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello \"},\"p\":\"abcd\"}"));
            // One write carrying a frame and a half: the decoder must keep the rest for the next chunk.
            Buffer two = frame("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"from Bedrock.\"},\"p\":\"ab\"}")
                    .appendBuffer(frame("contentBlockStop", "{\"contentBlockIndex\":0,\"p\":\"abcdefgh\"}"));
            response.write(two.getBuffer(0, two.length() - 10));
            response.write(two.getBuffer(two.length() - 10, two.length()));
            response.write(frame("messageStop", "{\"p\":\"abc\",\"stopReason\":\"end_turn\"}"));
            response.end(frame("metadata", "{\"metrics\":{\"latencyMs\":200},\"p\":\"abcdef\",\"usage\":{\"inputTokens\":%d,\"outputTokens\":%d,\"totalTokens\":%d}}"
                    .formatted(INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS)));
        });
    }

    /** Null when the request carries a valid signature for this server's keys, else what is wrong. */
    private String signatureProblem(HttpServerRequest request, Buffer body) {
        String authorization = request.getHeader("authorization");
        String date = request.getHeader("x-amz-date");
        if (authorization == null || date == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return "Missing Authentication Token";
        }
        String signedHeaders = between(authorization, "SignedHeaders=", ",");
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method().name()))
                .uri(URI.create("http://" + request.authority().toString() + request.uri()));
        for (String name : signedHeaders.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && !name.equals("x-amz-security-token")
                    && !name.equals("x-amz-content-sha256")) {
                unsigned.putHeader(name, request.getHeader(name));
            }
        }
        Clock at = Clock.fixed(LocalDateTime.parse(date, AMZ_DATE).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        byte[] bytes = body.getBytes();
        String expected = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(unsigned.build())
                        .payload(ContentStreamProvider.fromByteArrayUnsafe(bytes))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, at))
                .request().firstMatchingHeader("Authorization").orElse("");
        if (!expected.equals(authorization)) {
            return "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.";
        }
        if (credentials instanceof AwsSessionCredentialsIdentity s && !s.sessionToken().equals(request.getHeader("x-amz-security-token"))) {
            return "The security token included in the request is invalid.";
        }
        return null;
    }

    private static String between(String s, String from, String to) {
        int start = s.indexOf(from);
        if (start < 0) {
            return "";
        }
        start += from.length();
        int end = s.indexOf(to, start);
        return end < 0 ? s.substring(start) : s.substring(start, end);
    }

    private static Buffer frame(String eventType, String payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).encode(out);
        return Buffer.buffer(out.toByteArray());
    }

    private static void error(HttpServerResponse response, int status, String type, String message) {
        response.setStatusCode(status).putHeader("content-type", "application/json").putHeader("x-amzn-ErrorType", type + ":")
                .end(JSON.createObjectNode().put("message", message).toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
