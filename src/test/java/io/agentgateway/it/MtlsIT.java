package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import io.agentgateway.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code type: mtls}: a TLS listener with {@code client_ca_file} verifies client certificates; the
 * SPIFFE ID in the certificate's URI SAN names the namespace and service account. Certificates
 * and the CA are made by the test (BouncyCastle); the caller is the real openai-java client
 * presenting its certificate.
 */
class MtlsIT {
    @TempDir
    static Path dir;
    static TestPki pki;
    static FakeOpenAi upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        pki = TestPki.create("mesh-ca");
        TestPki.Issued server = pki.server();
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start("""
                listeners:
                  - name: llm
                    address: 127.0.0.1
                    port: 0
                    protocol: HTTP
                    tls:
                      cert_file: %s
                      key_file: %s
                      client_ca_file: %s
                      client_auth: optional
                admin: {address: 127.0.0.1, port: 0}
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s}
                security:
                  authentication:
                    allowed_namespaces: [dev-team, production]
                    methods:
                      - {type: mtls, trust_domain: cluster.local}
                      - type: api_key
                        header: x-api-key
                        keys:
                          - {name: ci, key_hash: "sha256:%s", namespace: production}
                authorization:
                  policies:
                    - {name: prod-policy, match: {kubernetes: {namespace: production}}, resources: ["model:gpt-4"], action: allow}
                    - {name: dev-policy, match: {kubernetes: {namespace: dev-team, service_account: code-assistant}}, resources: ["model:gpt-4o"], action: allow}
                """.formatted(server.writeCertificate(dir.resolve("server.crt")), server.writeKey(dir.resolve("server.key")),
                pki.writeCertificate(dir.resolve("ca.crt")), upstream.baseUrl(), ApiKeyAndPolicyIT.sha256("ci-secret")),
                Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    static OpenAIClient client(SSLContext tls, String... headers) {
        OpenAIOkHttpClient.Builder b = OpenAIOkHttpClient.builder().apiKey("unused")
                .baseUrl("https://127.0.0.1:" + gateway.port("llm") + "/v1").maxRetries(0)
                .sslSocketFactory(tls.getSocketFactory()).trustManager(pki.trustManager());
        for (int i = 0; i < headers.length; i += 2) {
            b.putHeader(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    static SSLContext presenting(String... uris) {
        return pki.client("workload", uris).clientContext(pki);
    }

    static SSLContext noCertificate() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[]{pki.trustManager()}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    @Test
    void theSpiffeIdNamesNamespaceAndServiceAccount() {
        OpenAIClient c = client(presenting("spiffe://cluster.local/ns/dev-team/sa/code-assistant"));
        assertThat(c.chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
        assertThatThrownBy(() -> c.chat().completions().create(ask("gpt-4")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("namespace \"dev-team\"");
    }

    @Test
    void identityHeadersDoNotOverrideTheCertificate() {
        OpenAIClient c = client(presenting("spiffe://cluster.local/ns/dev-team/sa/code-assistant"),
                "X-Namespace", "production", "X-Forwarded-Client-Cert", "URI=spiffe://cluster.local/ns/production/sa/admin");
        assertThatThrownBy(() -> c.chat().completions().create(ask("gpt-4")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("namespace \"dev-team\"");
    }

    @Test
    void anotherTrustDomainIsRefused() {
        assertThatThrownBy(() -> client(presenting("spiffe://evil.example/ns/production/sa/admin")).chat().completions().create(ask("gpt-4")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("trust domain \"evil.example\" is not cluster.local");
    }

    @Test
    void aCertificateWithoutSpiffeIdIsRefused() {
        assertThatThrownBy(() -> client(presenting()).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("no SPIFFE ID");
        assertThatThrownBy(() -> client(presenting("https://example.com/not-spiffe")).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("no SPIFFE ID");
    }

    @Test
    void aNamespaceOutsideAllowedNamespacesIsForbidden() {
        assertThatThrownBy(() -> client(presenting("spiffe://cluster.local/ns/kube-system/sa/default")).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("allowed_namespaces");
    }

    @Test
    void withoutACertificateTheNextMethodDecides() {
        assertThat(client(noCertificate(), "x-api-key", "ci-secret").chat().completions().create(ask("gpt-4")).choices()).hasSize(1);
        assertThatThrownBy(() -> client(noCertificate()).chat().completions().create(ask("gpt-4")))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void aCertificateFromAnotherCaFailsTheHandshakeAndTheListenerKeepsServing() {
        TestPki other = TestPki.create("rogue-ca");
        SSLContext rogue = other.client("rogue", "spiffe://cluster.local/ns/production/sa/admin").clientContext(pki);
        assertThatThrownBy(() -> client(rogue).chat().completions().create(ask("gpt-4"))).isInstanceOf(OpenAIIoException.class);
        assertThat(client(presenting("spiffe://cluster.local/ns/dev-team/sa/code-assistant")).chat().completions()
                .create(ask("gpt-4o")).choices()).hasSize(1);
    }
}
