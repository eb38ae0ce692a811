package io.agentgateway.it;

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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code type: kubernetes, service_account_validation: true}: every bearer token is reviewed by a
 * TokenReview against an API-server stand-in over TLS with the cluster CA, driven through the LLM
 * listener with the real openai-java client.
 */
class KubernetesTokenReviewIT {
    static final String GATEWAY_TOKEN = "gateway-own-token-1";
    @TempDir
    static Path dir;
    static ManualClock clock;
    static FakeKubeApiServer apiServer;
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static Path tokenFile;

    @BeforeAll
    static void start() throws IOException {
        clock = new ManualClock(java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()));
        TestPki pki = TestPki.create("kubernetes-ca");
        Path ca = pki.writeCertificate(dir.resolve("ca.crt"));
        tokenFile = Files.writeString(dir.resolve("token"), GATEWAY_TOKEN + "\n");
        apiServer = FakeKubeApiServer.start(clock, null, pki, dir).acceptCaller(GATEWAY_TOKEN);
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(config("""
                kubernetes:
                  api_server: %s
                  ca_file: %s
                  token_file: %s
                  cache_ttl: 60s
                """.formatted(apiServer.url(), ca, tokenFile)), Map.of(), clock);
    }

    static String config(String kubernetes) {
        return TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: kubernetes
                    service_account_validation: true
                    allowed_namespaces: [dev-team, production]
                    audiences: [agentgateway]
                %s
                authorization:
                  policies:
                    - name: prod-policy
                      match: {kubernetes: {namespace: production}}
                      resources: ["model:gpt-4"]
                      action: allow
                    - name: dev-policy
                      match: {kubernetes: {namespace: dev-team}}
                      resources: ["model:gpt-4o"]
                      action: allow
                """.formatted(kubernetes.indent(4).stripTrailing());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        apiServer.close();
    }

    static OpenAIClient client(TestGateway g, String token) {
        return g.openAi(token);
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    static String devToken() {
        return apiServer.mint("dev-team", "code-assistant", List.of("agentgateway"));
    }

    @Test
    void serviceAccountTokenIsReviewedWithTheAudiencesAndTheGatewaysOwnToken() {
        assertThat(client(gateway, devToken()).chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
        assertThat(apiServer.lastReview().getJsonObject("spec").getJsonArray("audiences")).containsExactly("agentgateway");
        assertThat(apiServer.reviewCallers()).last().isEqualTo(GATEWAY_TOKEN);
        // the caller's token never goes upstream
        assertThat(String.valueOf(upstream.last().headers().get("authorization"))).doesNotContain("eyJ");
    }

    @Test
    void aSecondRequestWithTheSameTokenIsServedFromTheCache() {
        String token = devToken();
        client(gateway, token).chat().completions().create(ask("gpt-4o"));
        int reviews = apiServer.tokenReviews();
        client(gateway, token).chat().completions().create(ask("gpt-4o"));
        client(gateway, token).chat().completions().create(ask("gpt-4o"));
        assertThat(apiServer.tokenReviews()).isEqualTo(reviews);
    }

    @Test
    void aTokenThatExpiredWhileCachedIsReviewedAgainAndRefused() {
        String token = FakeKubeApiServer.sign(apiServer.claims("dev-team", "code-assistant", List.of("agentgateway"),
                clock.instant().plusSeconds(30)).build(), apiServer.signingKey());
        client(gateway, token).chat().completions().create(ask("gpt-4o"));
        int reviews = apiServer.tokenReviews();
        clock.advance(Duration.ofSeconds(31)); // past exp, well within cache_ttl
        assertThatThrownBy(() -> client(gateway, token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("expired");
        assertThat(apiServer.tokenReviews()).isEqualTo(reviews + 1);
    }

    @Test
    void tokenReviewAnsweringNotAuthenticatedIsUnauthorized() {
        String token = devToken();
        apiServer.revoke(token);
        assertThatThrownBy(() -> client(gateway, token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("did not authenticate").hasMessageContaining("invalidated");
    }

    @Test
    void tokenForAnotherAudienceIsUnauthorized() {
        String token = apiServer.mint("dev-team", "code-assistant", List.of("vault"));
        assertThatThrownBy(() -> client(gateway, token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("audiences");
    }

    @Test
    void aUserThatIsNotAServiceAccountIsUnauthorized() {
        String token = FakeKubeApiServer.sign(apiServer.claims("dev-team", "x", List.of("agentgateway"),
                clock.instant().plusSeconds(600)).subject("alice@example.com").build(), apiServer.signingKey());
        assertThatThrownBy(() -> client(gateway, token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("not a service account");
    }

    @Test
    void namespaceOutsideAllowedNamespacesIsForbidden() {
        String token = apiServer.mint("ai-sandbox", "agent", List.of("agentgateway"));
        assertThatThrownBy(() -> client(gateway, token).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("ai-sandbox").hasMessageContaining("allowed_namespaces");
    }

    @Test
    void spoofedNamespaceHeaderIsIgnored() {
        OpenAIClient spoofing = OpenAIOkHttpClient.builder().apiKey(devToken()).baseUrl(gateway.url("llm") + "/v1")
                .putHeader("X-Namespace", "production").putHeader("X-Service-Account", "admin")
                .putHeader("X-Forwarded-User", "system:serviceaccount:production:admin").maxRetries(0).build();
        // gpt-4 is for production only: the header does not make a dev-team caller production
        assertThatThrownBy(() -> spoofing.chat().completions().create(ask("gpt-4")))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("namespace \"dev-team\" may not use model:gpt-4");
        assertThat(spoofing.chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
    }

    @Test
    void opaqueBearerIsNotAcceptedByKubernetesAuthentication() {
        assertThatThrownBy(() -> client(gateway, "sk-not-a-jwt").chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("not accepted");
    }

    @Test
    void apiServerErrorIsServiceUnavailableNeverAnAllow() {
        apiServer.failWith(500);
        try {
            assertThatThrownBy(() -> client(gateway, devToken()).chat().completions().create(ask("gpt-4o")))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageContaining("HTTP 500");
        } finally {
            apiServer.failWith(0);
        }
    }

    @Test
    void apiServerUnreachableIsServiceUnavailable() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (TestGateway g = TestGateway.start(config("""
                kubernetes: {api_server: "https://127.0.0.1:%d", ca_file: %s, token_file: %s}
                """.formatted(closedPort, dir.resolve("ca.crt"), tokenFile)), Map.of(), clock)) {
            assertThatThrownBy(() -> client(g, devToken()).chat().completions().create(ask("gpt-4o")))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageContaining("unreachable");
        }
    }

    @Test
    void theGatewaysOwnTokenIsReadAgainWhenItRotates() throws Exception {
        Path rotating = Files.writeString(dir.resolve("rotating-token"), "gateway-token-a");
        apiServer.acceptCaller("gateway-token-a");
        try (TestGateway g = TestGateway.start(config("""
                kubernetes: {api_server: "%s", ca_file: %s, token_file: %s}
                """.formatted(apiServer.url(), dir.resolve("ca.crt"), rotating)), Map.of(), clock)) {
            client(g, devToken()).chat().completions().create(ask("gpt-4o"));
            assertThat(apiServer.reviewCallers()).last().isEqualTo("gateway-token-a");
            // the kubelet writes a new token; the old one stops working
            Files.writeString(rotating, "gateway-token-b");
            apiServer.acceptCaller("gateway-token-b");
            apiServer.forgetCaller("gateway-token-a");
            clock.advance(Duration.ofMinutes(2));
            assertThat(client(g, devToken()).chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
            assertThat(apiServer.reviewCallers()).last().isEqualTo("gateway-token-b");
        }
    }

    @Test
    void inClusterDefaultsComeFromTheEnvironment() {
        try (TestGateway g = TestGateway.start(config("""
                kubernetes: {ca_file: %s, token_file: %s}
                """.formatted(dir.resolve("ca.crt"), tokenFile)),
                Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", Integer.toString(apiServer.port())), clock)) {
            int reviews = apiServer.tokenReviews();
            assertThat(client(g, devToken()).chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
            assertThat(apiServer.tokenReviews()).isEqualTo(reviews + 1);
        }
    }

    @Test
    void outsideAClusterWithoutApiServerRequestsGet503AndReadinessSaysWhy() throws Exception {
        try (TestGateway g = TestGateway.start(config(""), Map.of(), clock)) {
            assertThatThrownBy(() -> client(g, devToken()).chat().completions().create(ask("gpt-4o")))
                    .isInstanceOfSatisfying(InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageContaining("api_server is not configured");
            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(g.adminUrl() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("no API server");
        }
    }
}
