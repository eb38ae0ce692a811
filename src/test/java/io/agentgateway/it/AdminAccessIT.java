package io.agentgateway.it;

import io.agentgateway.testing.FakeKubeApiServer;
import io.agentgateway.testing.TestGateway;
import io.agentgateway.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code admin.authentication}: the admin API and the console's data need the admin token from its
 * Secret or a Kubernetes service-account token of an allowed identity (reviewed by a real
 * TokenReview against a fake API server); probes, metrics and the page's static files stay open.
 */
class AdminAccessIT {
    static final String ADMIN_TOKEN = "admin-console-token-4242";
    static final String GATEWAY_TOKEN = "gateway-own-token";
    static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static FakeKubeApiServer apiServer;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create("kubernetes-ca");
        Path ca = pki.writeCertificate(dir.resolve("ca.crt"));
        Path tokenFile = Files.writeString(dir.resolve("token"), GATEWAY_TOKEN + "\n");
        apiServer = FakeKubeApiServer.start(Clock.systemUTC(), null, pki, dir).acceptCaller(GATEWAY_TOKEN);
        gateway = TestGateway.withConsole("""
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                admin:
                  address: 127.0.0.1
                  port: 0
                  authentication:
                    token_secret: agentgateway-admin
                    service_accounts:
                      - {namespace: ai-platform, service_account: console-viewer}
                llm:
                  providers:
                    - {name: mock, type: mock}
                security:
                  authentication:
                    type: kubernetes
                    allowed_namespaces: [dev-team]
                    kubernetes: {api_server: "%s", ca_file: "%s", token_file: "%s"}
                """.formatted(apiServer.url(), ca, tokenFile), Map.of("AGENTGATEWAY_ADMIN", ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        apiServer.close();
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + path));
        if (token != null) {
            r.header("authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutACredentialTheApiAndConsoleDataAreRefusedButProbesMetricsAndThePageAreOpen() throws Exception {
        for (String path : List.of("/api/config", "/api/namespaces", "/api/check?namespace=a&resource=model:x", "/api/audit/events")) {
            HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"agentgateway-admin\"");
            assertThat(r.body()).contains("missing credential");
        }
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
        HttpResponse<String> page = get("/ui/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy")).get().asString()
                .contains("default-src 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
    }

    @Test
    void theAdminTokenFromItsSecretOpensTheApiAndAWrongOneDoesNot() throws Exception {
        HttpResponse<String> r = get("/api/config", ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"token_secret\" : \"agentgateway-admin\"").doesNotContain(ADMIN_TOKEN);
        assertThat(get("/api/namespaces", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/api/config", ADMIN_TOKEN + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void anAllowedServiceAccountsTokenIsAcceptedAndAnotherServiceAccountIsRefused() throws Exception {
        // as `kubectl create token console-viewer -n ai-platform` mints it: for the API server's own audience
        String viewer = apiServer.mint("ai-platform", "console-viewer", List.of(apiServer.issuer()));
        assertThat(get("/api/reloads", viewer).statusCode()).isEqualTo(200);
        HttpResponse<String> other = get("/api/reloads", apiServer.mint("dev-team", "code-assistant", List.of(apiServer.issuer())));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("dev-team/code-assistant is not in admin.authentication.service_accounts");
    }
}
