package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's side of three providers, as their references show them, on one local server:
 * <ul>
 *   <li>an OAuth token endpoint ({@code POST /token}) that takes a service account's signed JWT
 *       assertion ({@code urn:ietf:params:oauth:grant-type:jwt-bearer}), checks its RS256 signature
 *       against the account's public key, its issuer, audience ({@code https://oauth2.googleapis.com/token},
 *       as Google's endpoint wants) and {@code cloud-platform} scope, and
 *       issues an access token;</li>
 *   <li>the Gemini API ({@code /v1beta/models/MODEL:generateContent} and
 *       {@code :streamGenerateContent?alt=sse}), which wants {@code x-goog-api-key};</li>
 *   <li>Vertex AI ({@code /v1/projects/P/locations/L/publishers/google/models/MODEL:generateContent},
 *       {@code :streamGenerateContent}, and {@code publishers/anthropic/models/MODEL:rawPredict},
 *       {@code :streamRawPredict} with Anthropic's body and {@code anthropic_version: vertex-2023-10-16}),
 *       which wants a bearer token this server issued.</li>
 * </ul>
 */
public final class FakeGoogleAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int INPUT_TOKENS = 11;
    public static final int OUTPUT_TOKENS = 7;
    public static final String CLIENT_EMAIL = "gateway@my-project.iam.gserviceaccount.com";

    public record Received(String path, MultiMap headers, JsonNode body) {
    }

    private final String apiKey;
    private final KeyPair serviceAccount;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final LoopbackServer server;

    private FakeGoogleAi(String apiKey, KeyPair serviceAccount) {
        this.apiKey = apiKey;
        this.serviceAccount = serviceAccount;
        this.server = LoopbackServer.start(this::handle);
    }

    /** @param apiKey the Gemini API key it accepts */
    public static FakeGoogleAi start(String apiKey) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new FakeGoogleAi(apiKey, generator.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return server.url();
    }

    /** A service-account JSON key, as the Cloud console downloads it, whose token endpoint is this server. */
    public String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(serviceAccount.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode().put("type", "service_account").put("project_id", "my-project")
                .put("private_key_id", "key-1").put("private_key", pem).put("client_email", CLIENT_EMAIL)
                .put("client_id", "1234567890").put("token_uri", baseUrl() + "/token").toString();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            HttpServerResponse response = request.response();
            String path = request.path();
            if (path.equals("/token")) {
                token(body.toString(StandardCharsets.UTF_8), response);
                return;
            }
            JsonNode json;
            try {
                json = JSON.readTree(body.getBytes());
            } catch (Exception e) {
                error(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
                return;
            }
            received.add(new Received(path, MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json));
            if (path.startsWith("/v1beta/models/")) {
                if (!apiKey.equals(request.getHeader("x-goog-api-key"))) {
                    error(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
                    return;
                }
                gemini(path.contains(":streamGenerateContent"), json, response);
                return;
            }
            if (!path.startsWith("/v1/projects/my-project/locations/us-central1/publishers/")) {
                error(response, 404, "NOT_FOUND", "Requested entity was not found.");
                return;
            }
            String authorization = request.getHeader("authorization");
            if (authorization == null || !issued.contains(authorization.replaceFirst("^Bearer ", ""))) {
                error(response, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
                return;
            }
            if (path.contains("/publishers/google/models/")) {
                gemini(path.endsWith(":streamGenerateContent"), json, response);
            } else if (path.contains("/publishers/anthropic/models/")) {
                claude(path.endsWith(":streamRawPredict"), json, response);
            } else {
                error(response, 404, "NOT_FOUND", "Publisher model not found.");
            }
        });
    }

    private void token(String form, HttpServerResponse response) {
        tokenRequests.incrementAndGet();
        String assertion = null;
        String grantType = null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (eq < 0 ? pair : pair.substring(0, eq)) {
                case "assertion" -> assertion = value;
                case "grant_type" -> grantType = value;
                default -> {
                }
            }
        }
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String problem = !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grantType) ? "Invalid grant_type."
                    : !jwt.verify(new RSASSAVerifier((RSAPublicKey) serviceAccount.getPublic())) ? "Invalid JWT Signature."
                    : !CLIENT_EMAIL.equals(claims.getIssuer()) ? "Invalid issuer."
                    // Google's token endpoint wants its own well-known address as the audience, wherever it is reached.
                    : !claims.getAudience().contains("https://oauth2.googleapis.com/token") ? "Invalid audience " + claims.getAudience() + "."
                    : !String.valueOf(claims.getClaim("scope")).contains("https://www.googleapis.com/auth/cloud-platform")
                    ? "Invalid scope." : null;
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        } catch (Exception e) {
            response.setStatusCode(400).putHeader("content-type", "application/json").end(JSON.createObjectNode()
                    .put("error", "invalid_grant").put("error_description", e.getMessage()).toString());
            return;
        }
        String token = "ya29.fake-" + tokenRequests.get();
        issued.add(token);
        response.putHeader("content-type", "application/json")
                .end("{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private static void gemini(boolean stream, JsonNode body, HttpServerResponse response) {
        if (!body.path("contents").isArray() || body.has("messages") || body.has("model")) {
            error(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"messages\".");
            return;
        }
        String usage = "\"usageMetadata\":{\"promptTokenCount\":%d,\"candidatesTokenCount\":%d,\"totalTokenCount\":%d}"
                .formatted(INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS);
        if (!stream) {
            response.putHeader("content-type", "application/json").end("""
                    {"candidates":[{"content":{"parts":[{"text":"Hello from Gemini."}],"role":"model"},"finishReason":"STOP","index":0}],\
                    %s,"modelVersion":"gemini-2.5-flash","responseId":"resp-abc"}""".formatted(usage));
            return;
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello \"}],\"role\":\"model\"},\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":" + INPUT_TOKENS + ",\"totalTokenCount\":" + INPUT_TOKENS
                + "},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-abc\"}\r\n\r\n");
        response.end("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"from Gemini.\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}]," + usage + ",\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"resp-abc\"}\r\n\r\n");
    }

    private static void claude(boolean stream, JsonNode body, HttpServerResponse response) {
        if (!"vertex-2023-10-16".equals(body.path("anthropic_version").asText()) || body.has("model") || !body.path("messages").isArray()) {
            response.setStatusCode(400).putHeader("content-type", "application/json").end("""
                    {"type":"error","error":{"type":"invalid_request_error","message":"anthropic_version: vertex-2023-10-16 required; model: Extra inputs are not permitted"}}""");
            return;
        }
        if (!stream) {
            response.putHeader("content-type", "application/json").end("""
                    {"id":"msg_vrtx_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",\
                    "content":[{"type":"text","text":"Hello from Claude on Vertex."}],"stop_reason":"end_turn","stop_sequence":null,\
                    "usage":{"input_tokens":%d,"output_tokens":%d}}""".formatted(INPUT_TOKENS, OUTPUT_TOKENS));
            return;
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        response.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_vrtx_02\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"output_tokens\":1}}}\n\n");
        response.write("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        response.write("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        response.write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello from Claude \"}}\n\n");
        response.write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"on Vertex.\"}}\n\n");
        response.write("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        response.write("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + OUTPUT_TOKENS + "}}\n\n");
        response.end("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    private static void error(HttpServerResponse response, int status, String googleStatus, String message) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(JSON.createObjectNode()
                .set("error", JSON.createObjectNode().put("code", status).put("message", message).put("status", googleStatus)).toString());
    }

    @Override
    public void close() {
        server.close();
    }
}
