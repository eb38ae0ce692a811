package io.agentgateway.it;

import com.nimbusds.jwt.JWTClaimsSet;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.FakeKubeApiServer;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code type: jwt} with an OIDC issuer found through its discovery document, chained with API
 * keys ({@code methods:}): each method claims only its own credentials, so both kinds of caller
 * get in, and a token from an issuer nobody accepts is refused with the reason.
 */
class JwtIssuerIT {
    @TempDir
    static Path dir;
    static ManualClock clock;
    static FakeKubeApiServer idp;
    static FakeOpenAi upstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        clock = new ManualClock(java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()));
        idp = FakeKubeApiServer.start(clock, "https://idp.example.com/realms/agents", null, dir).publicDiscovery();
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    allowed_namespaces: [dev-team, production]
                    methods:
                      - type: jwt
                        issuer: https://idp.example.com/realms/agents
                        jwks_uri: %s/openid/v1/jwks
                        audiences: [agentgateway]
                        namespace_claim: team
                        service_account_claim: agent
                        algorithms: [RS256]
                        clock_skew: 30s
                      - type: api_key
                        keys:
                          - {name: ci, key_hash: "sha256:%s", namespace: production, service_account: ci-bot}
                authorization:
                  policies:
                    - {name: prod-policy, match: {kubernetes: {namespace: production}}, resources: ["model:gpt-4"], action: allow}
                    - {name: dev-policy, match: {kubernetes: {namespace: dev-team, service_account: "code-*"}}, resources: ["model:gpt-4o"], action: allow}
                """.formatted(idp.url(), ApiKeyAndPolicyIT.sha256("ci-secret")), Map.of(), clock);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        idp.close();
    }

    static OpenAIClient client(String token) {
        return gateway.openAi(token);
    }

    static ChatCompletionCreateParams ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
    }

    static JWTClaimsSet.Builder claims(String team, String agent) {
        return new JWTClaimsSet.Builder().issuer(idp.issuer()).subject("user-" + agent).audience("agentgateway")
                .claim("team", team).claim("agent", agent)
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(600)));
    }

    static String token(JWTClaimsSet.Builder claims) {
        return FakeKubeApiServer.sign(claims.build(), idp.signingKey());
    }

    @Test
    void namespaceAndServiceAccountComeFromTheConfiguredClaims() {
        assertThat(client(token(claims("dev-team", "code-assistant"))).chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
        assertThatThrownBy(() -> client(token(claims("dev-team", "reviewer"))).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("dev-team");
    }

    @Test
    void apiKeysStillWorkBehindTheJwtMethod() {
        assertThat(client("ci-secret").chat().completions().create(ask("gpt-4")).choices()).hasSize(1);
        assertThatThrownBy(() -> client("not-the-key").chat().completions().create(ask("gpt-4")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("API key");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefusedWithTheReason() {
        assertThatThrownBy(() -> client(token(claims("dev-team", "code-assistant").issuer("https://other.example.com")))
                .chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("issuer \"https://other.example.com\" is not https://idp.example.com/realms/agents");
    }

    @Test
    void aTokenWithoutTheNamespaceClaimIsRefused() {
        assertThatThrownBy(() -> client(token(claims("dev-team", "code-assistant").claim("team", null)))
                .chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("\"team\" claim");
    }

    @Test
    void aNamespaceOutsideAllowedNamespacesIsForbidden() {
        assertThatThrownBy(() -> client(token(claims("ai-sandbox", "code-assistant"))).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("allowed_namespaces");
    }

    @Test
    void clockSkewIsHonouredButNoMore() {
        // expired 20s ago: inside the configured 30s skew
        assertThat(client(token(claims("dev-team", "code-assistant").expirationTime(Date.from(clock.instant().minusSeconds(20)))))
                .chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
        assertThatThrownBy(() -> client(token(claims("dev-team", "code-assistant")
                .expirationTime(Date.from(clock.instant().minusSeconds(40))))).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Expired");
    }

    @Test
    void anAlgorithmOutsideTheConfiguredListIsRefused() throws Exception {
        com.nimbusds.jose.jwk.ECKey ec = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("ec-1").generate();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256).keyID("ec-1").build(),
                claims("dev-team", "code-assistant").build());
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(ec));
        assertThatThrownBy(() -> client(jwt.serialize()).chat().completions().create(ask("gpt-4o")))
                .isInstanceOf(UnauthorizedException.class).hasMessageContaining("ES256").hasMessageContaining("accepted: RS256");
    }

    static TestGateway discoveringGateway(String issuer) {
        return TestGateway.start(TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: jwt
                    issuer: %s
                    namespace_claim: team
                """.formatted(issuer), Map.of(), clock);
    }

    @Test
    void withoutJwksUriTheKeysAreFoundThroughDiscovery() {
        try (FakeKubeApiServer issuer = FakeKubeApiServer.start(clock, FakeKubeApiServer.SELF, null, dir).publicDiscovery();
             TestGateway g = discoveringGateway(issuer.url())) {
            String token = FakeKubeApiServer.sign(claims("dev-team", "code-assistant").issuer(issuer.issuer()).build(), issuer.signingKey());
            OpenAIClient c = g.openAi(token);
            assertThat(c.chat().completions().create(ask("gpt-4o")).choices()).hasSize(1);
            assertThat(issuer.discoveryFetches()).isEqualTo(1);
            assertThat(issuer.jwksFetches()).isEqualTo(1);
        }
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotTrusted() {
        try (FakeKubeApiServer issuer = FakeKubeApiServer.start(clock, null, null, dir).publicDiscovery();
             TestGateway g = discoveringGateway(issuer.url())) {
            // OIDC Discovery 4.3: the document says issuer ISSUER, not the URL the config names
            String token = FakeKubeApiServer.sign(claims("dev-team", "code-assistant").issuer(issuer.url()).build(), issuer.signingKey());
            OpenAIClient c = g.openAi(token);
            assertThatThrownBy(() -> c.chat().completions().create(ask("gpt-4o")))
                    .isInstanceOfSatisfying(com.openai.errors.InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503))
                    .hasMessageContaining("names issuer");
        }
    }
}
