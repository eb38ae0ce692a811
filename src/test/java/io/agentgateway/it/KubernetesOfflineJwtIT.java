package io.agentgateway.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeKubeApiServer;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.TestGateway;
import io.agentgateway.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code type: kubernetes, service_account_validation: false}: service-account JWTs verified
 * offline against the cluster's OIDC discovery document and JWKS (fetched from the API-server
 * stand-in with the gateway's own token), and every malformed or forged token refused with 401.
 */
class KubernetesOfflineJwtIT {
    static final String GATEWAY_TOKEN = "gateway-own-token";
    @TempDir
    static Path dir;
    static ManualClock clock;
    static FakeKubeApiServer apiServer;
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static Path ca;
    static Path tokenFile;

    @BeforeAll
    static void start() throws Exception {
        clock = new ManualClock(java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()));
        TestPki pki = TestPki.create("kubernetes-ca");
        ca = pki.writeCertificate(dir.resolve("ca.crt"));
        tokenFile = Files.writeString(dir.resolve("token"), GATEWAY_TOKEN);
        apiServer = FakeKubeApiServer.start(clock, null, pki, dir).acceptCaller(GATEWAY_TOKEN);
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(config(apiServer.url()), Map.of(), clock);
    }

    static String config(String apiServerUrl) {
        return TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: kubernetes
                    service_account_validation: false
                    audiences: [agentgateway]
                    allowed_namespaces: [dev-team, production]
                    kubernetes: {api_server: "%s", ca_file: %s, token_file: %s, issuer: "%s"}
                authorization:
                  policies:
                    - {name: prod-policy, match: {kubernetes: {namespace: production}}, resources: ["model:gpt-4"], action: allow}
                    - {name: dev-policy, match: {kubernetes: {namespace: dev-team}}, resources: ["model:gpt-4o"], action: allow}
                """.formatted(apiServerUrl, ca, tokenFile, FakeKubeApiServer.ISSUER);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        apiServer.close();
    }

    static OpenAIClient client(String token) {
        return gateway.openAi(token);
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    static JWTClaimsSet.Builder devClaims() {
        return apiServer.claims("dev-team", "code-assistant", List.of("agentgateway"), clock.instant().plusSeconds(3600));
    }

    static void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> client(token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining(reason);
    }

    @Test
    void validServiceAccountTokenIsVerifiedWithoutATokenReview() {
        assertThat(client(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")))
                .chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
        assertThat(apiServer.tokenReviews()).isZero();
        assertThat(apiServer.discoveryFetches()).isPositive();
    }

    @Test
    void theNamespaceComesFromTheVerifiedSubject() {
        assertThatThrownBy(() -> client(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")))
                .chat().completions().create(ask("gpt-4")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("namespace \"dev-team\"");
    }

    @Test
    void malformedJwtIsRefused() {
        String header = Base64URL.encode("{\"alg\":\"RS256\",\"kid\":\"k\"}").toString();
        String payload = Base64URL.encode("{not json".getBytes(StandardCharsets.UTF_8)).toString();
        assertRefused(header + "." + payload + ".c2lnbmF0dXJl", "malformed JWT");
    }

    @Test
    void unsignedAlgNoneIsRefused() {
        assertRefused(new PlainJWT(devClaims().build()).serialize(), "alg: none");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        // Algorithm confusion: HS256 "signed" with the issuer's public key, which anyone can fetch.
        byte[] publicKey = apiServer.signingKey().toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(apiServer.signingKey().getKeyID()).build(),
                devClaims().build());
        forged.sign(new MACSigner(publicKey));
        assertRefused(forged.serialize(), "HS256");
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")).split("\\.");
        String other = FakeKubeApiServer.sign(apiServer.claims("production", "admin", List.of("agentgateway"),
                clock.instant().plusSeconds(3600)).build(), apiServer.signingKey()).split("\\.")[1];
        assertRefused(parts[0] + "." + other + "." + parts[2], "Invalid signature");
    }

    @Test
    void expiredTokenIsRefused() {
        Instant past = clock.instant().minusSeconds(300);
        assertRefused(FakeKubeApiServer.sign(devClaims().expirationTime(Date.from(past)).build(), apiServer.signingKey()), "Expired");
    }

    @Test
    void notYetValidTokenIsRefused() {
        Instant future = clock.instant().plusSeconds(300);
        assertRefused(FakeKubeApiServer.sign(devClaims().notBeforeTime(Date.from(future)).build(), apiServer.signingKey()),
                "before use time");
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        assertRefused(FakeKubeApiServer.sign(devClaims().expirationTime(null).build(), apiServer.signingKey()), "exp");
    }

    @Test
    void wrongIssuerIsRefused() {
        assertRefused(FakeKubeApiServer.sign(devClaims().issuer("https://evil.example.com").build(), apiServer.signingKey()),
                "issuer \"https://evil.example.com\" is not " + FakeKubeApiServer.ISSUER);
    }

    @Test
    void wrongAudienceIsRefused() {
        assertRefused(apiServer.mint("dev-team", "code-assistant", List.of("vault")), "audience");
    }

    @Test
    void unknownKeyIdIsRefusedAfterOneRateLimitedRefresh() {
        String unknown = FakeKubeApiServer.sign(devClaims().build(), FakeKubeApiServer.unpublishedKey());
        clock.advance(Duration.ofMinutes(1)); // let a refresh happen now, whatever ran before
        int fetches = apiServer.jwksFetches();
        assertRefused(unknown, "is not published");
        assertThat(apiServer.jwksFetches()).isEqualTo(fetches + 1);
        // more unknown kids right after do not make the gateway fetch again
        assertRefused(FakeKubeApiServer.sign(devClaims().build(), FakeKubeApiServer.unpublishedKey()), "is not published");
        assertThat(apiServer.jwksFetches()).isEqualTo(fetches + 1);
    }

    @Test
    void aRotatedSigningKeyIsFetchedOnFirstSight() {
        client(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway"))).chat().completions().create(ask("gpt-4o"));
        apiServer.rotateKey();
        clock.advance(Duration.ofMinutes(1));
        assertThat(client(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")))
                .chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic ZGV2OnNlY3JldA==", "Token abc"})
    void missingEmptyOrNonBearerAuthorizationIsUnauthorized(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).contains("\"type\":\"authentication_error\"")
                .containsAnyOf("missing credential", "not of the form");
    }

    @Test
    void aSixteenKibHeaderIsRefusedAndTheGatewayKeepsServing() throws Exception {
        String huge = "Bearer eyJ" + "a".repeat(16 * 1024);
        // the JDK client tries an h2c upgrade first: the limit must hold on that path too
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/models")).header("Authorization", huge).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/models")).header("Authorization", huge).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(431);
        assertThat(client(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")))
                .chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
    }

    @Test
    void apiServerUnreachableIsServiceUnavailable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (TestGateway g = TestGateway.start(config("https://127.0.0.1:" + closedPort), Map.of(), clock)) {
            OpenAIClient c = OpenAIOkHttpClient.builder().apiKey(apiServer.mint("dev-team", "code-assistant", List.of("agentgateway")))
                    .baseUrl(g.url("llm") + "/v1").maxRetries(0).build();
            assertThatThrownBy(() -> c.chat().completions().create(ask("gpt-4o")))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageContaining("unreachable");
        }
    }
}
