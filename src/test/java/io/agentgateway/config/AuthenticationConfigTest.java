package io.agentgateway.config;

import io.agentgateway.config.AuthMethodConfig.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** security.authentication: the seed's single-method form and the methods: list. */
class AuthenticationConfigTest {

    @Test
    void singleMethodFormKeepsTheMethodKeysBesideAllowedNamespaces() throws ConfigException {
        AuthenticationConfig auth = load(LISTENER + """
                security:
                  authentication:
                    type: kubernetes
                    service_account_validation: false
                    allowed_namespaces: [ai-agents]
                    audiences: [agentgateway]
                    kubernetes:
                      api_server: https://kubernetes.default.svc
                      cache_ttl: 30s
                      issuer: https://kubernetes.default.svc.cluster.local
                """).security().authentication();
        assertThat(auth.methods()).isNull();
        assertThat(auth.allowedNamespaces()).containsExactly("ai-agents");
        AuthMethodConfig m = auth.method();
        assertThat(auth.effectiveMethods()).containsExactly(m);
        assertThat(m.type()).isEqualTo(Type.KUBERNETES);
        assertThat(m.serviceAccountValidation()).isFalse();
        assertThat(m.audiences()).containsExactly("agentgateway");
        assertThat(m.kubernetes().apiServer()).isEqualTo("https://kubernetes.default.svc");
        assertThat(m.kubernetes().cacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.kubernetes().issuer()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(m.kubernetes().tokenFile()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
    }

    @Test
    void methodsFormListsMethodsInOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tls.crt"), "cert");
        Files.writeString(dir.resolve("tls.key"), "key");
        Files.writeString(dir.resolve("ca.crt"), "ca");
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                listeners:
                  - name: llm
                    port: 8443
                    protocol: HTTP
                    tls: {cert_file: tls.crt, key_file: tls.key, client_ca_file: ca.crt, client_auth: optional}
                security:
                  authentication:
                    allowed_namespaces: [dev-team]
                    methods:
                      - {type: kubernetes, service_account_validation: true}
                      - type: api_key
                        header: x-api-key
                        keys:
                          - {name: ci, key_secret: dev-team-gateway-key, namespace: dev-team, service_account: ci-bot}
                          - {name: ops, key_hash: "sha256:%s", namespace: dev-team}
                      - {type: jwt, issuer: https://idp.example.com, audiences: [agentgateway], jwks_uri: https://idp.example.com/jwks, namespace_claim: namespace}
                      - {type: mtls, trust_domain: cluster.local}
                """.formatted("ab".repeat(32)));
        GatewayConfig c = new ConfigLoader(Map.<String, String>of()::get).load(file);
        assertThat(c.listeners().get(0).tls().clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
        AuthenticationConfig auth = c.security().authentication();
        assertThat(auth.method()).isNull();
        assertThat(auth.allowedNamespaces()).containsExactly("dev-team");
        assertThat(auth.effectiveMethods()).extracting(AuthMethodConfig::type)
                .containsExactly(Type.KUBERNETES, Type.API_KEY, Type.JWT, Type.MTLS);
        AuthMethodConfig apiKey = auth.methods().get(1);
        assertThat(apiKey.header()).isEqualTo("x-api-key");
        assertThat(apiKey.keys()).extracting(ApiKeyConfig::name, ApiKeyConfig::keySecret, ApiKeyConfig::keySecretKey,
                        ApiKeyConfig::serviceAccount)
                .containsExactly(
                        tuple("ci", "dev-team-gateway-key", "api-key", "ci-bot"),
                        tuple("ops", null, "api-key", null));
        AuthMethodConfig jwt = auth.methods().get(2);
        assertThat(jwt.issuer()).isEqualTo("https://idp.example.com");
        assertThat(jwt.jwksUri()).isEqualTo("https://idp.example.com/jwks");
        assertThat(jwt.audiences()).containsExactly("agentgateway");
        assertThat(jwt.namespaceClaim()).isEqualTo("namespace");
        assertThat(jwt.serviceAccountClaim()).isEqualTo("service_account");
        assertThat(auth.methods().get(3).trustDomain()).isEqualTo("cluster.local");
    }

    @Test
    void noAuthenticationSectionMeansMethodNone() throws ConfigException {
        AuthenticationConfig auth = load(LISTENER).security().authentication();
        assertThat(auth.effectiveMethods()).extracting(AuthMethodConfig::type).containsExactly(Type.NONE);
        assertThat(auth.allowedNamespaces()).isEmpty();
    }

    @Test
    void bothFormsAtOnceIsAnError() {
        assertThat(errors(LISTENER + """
                security:
                  authentication:
                    type: kubernetes
                    methods: [{type: kubernetes}]
                """)).containsExactly("security.authentication.methods: cannot be combined with a single-method "
                + "type; move type: kubernetes into methods");
    }

    @Test
    void anEmptyMethodsListIsAnError() {
        assertThat(errors(LISTENER + "security: {authentication: {methods: []}}\n"))
                .containsExactly("security.authentication.methods: needs at least one method");
    }

    @Test
    void anUnknownTypeIsOneErrorNotAlsoMissing() {
        // the inline binding used to add "type: is required" for a type that was present but bad
        assertThat(errors(LISTENER + "security: {authentication: {type: kerberos}}\n")).containsExactly(
                "security.authentication.type: \"kerberos\" is not one of kubernetes, jwt, api_key, mtls, none");
    }

    @Test
    void methodKeysWithoutTypeNeedTheType() {
        assertThat(errors(LISTENER + "security: {authentication: {service_account_validation: true}}\n"))
                .containsExactly("security.authentication.type: is required");
    }

    @Test
    void aBadValueInTheSingleMethodFormIsReportedAtItsPath() {
        assertThat(errors(LISTENER + "security: {authentication: {type: jwt, issuer: https://idp, clock_skew: soon}}\n"))
                .containsExactly("security.authentication.clock_skew: \"soon\" is not a duration (like 500ms, 30s, 5m, 24h, 7d)");
    }

    @Test
    void aMisspelledKeyInTheSingleMethodFormSuggestsTheMethodKey() {
        assertThat(errors(LISTENER + "security: {authentication: {type: kubernetes, service_acount_validation: true}}\n"))
                .containsExactly("security.authentication.service_acount_validation: unknown key "
                        + "(did you mean service_account_validation?)");
    }

    @Test
    void aMisspelledKeyInAMethodIsReportedWithItsIndex() {
        assertThat(errors(LISTENER + "security: {authentication: {methods: [{type: none}, {type: jwt, isuser: x}]}}\n"))
                .contains("security.authentication.methods[1].isuser: unknown key (did you mean issuer?)");
    }

    @Test
    void allowedNamespacesMustBeKubernetesNames() {
        assertThat(errors(LISTENER + "security: {authentication: {type: kubernetes, allowed_namespaces: [dev-team, Dev_Team]}}\n"))
                .containsExactly("security.authentication.allowed_namespaces[1]: \"Dev_Team\" is not a Kubernetes name "
                        + "(lower-case letters, digits and '-', at most 63)");
    }

    @Test
    void jwtNeedsAnHttpsIssuer() {
        assertThat(errors(LISTENER + "security: {authentication: {methods: [{type: jwt}, {type: jwt, issuer: idp.example.com}]}}\n"))
                .containsExactly(
                        "security.authentication.methods[0].issuer: is required for type jwt",
                        "security.authentication.methods[1].issuer: \"idp.example.com\" is not an http:// or https:// URL");
    }

    @Test
    void mtlsNeedsAListenerThatAsksForClientCertificates() {
        assertThat(errors(LISTENER + "security: {authentication: {type: mtls}}\n"))
                .containsExactly("security.authentication.type: mtls needs a listener with tls.client_ca_file");
    }

    @Test
    void clockSkewIsCappedAtSixtySeconds() {
        assertThat(errors(LISTENER + "security: {authentication: {type: jwt, issuer: https://idp, clock_skew: 2m}}\n"))
                .containsExactly("security.authentication.clock_skew: 2m is more than the 60s allowed");
    }

    @Test
    void apiKeyMethodNeedsKeys() {
        assertThat(errors(LISTENER + "security: {authentication: {type: api_key}}\n"))
                .containsExactly("security.authentication.keys: needs at least one key for type api_key");
    }

    @Test
    void anApiKeyNeedsExactlyOneOfSecretOrHash() {
        assertThat(errors(LISTENER + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: none, namespace: dev-team}
                      - {name: both, namespace: dev-team, key_secret: k, key_hash: "sha256:%s"}
                      - {name: short, namespace: dev-team, key_hash: "sha256:abc"}
                      - {name: none, namespace: Dev, key_secret: k}
                """.formatted("0".repeat(64)))).containsExactly(
                "security.authentication.keys[0]: needs exactly one of key_secret or key_hash",
                "security.authentication.keys[1]: needs exactly one of key_secret or key_hash",
                "security.authentication.keys[2].key_hash: must be sha256: followed by 64 hex digits",
                "security.authentication.keys[3].name: \"none\" is used more than once",
                "security.authentication.keys[3].namespace: \"Dev\" is not a Kubernetes name "
                        + "(lower-case letters, digits and '-', at most 63)");
    }

    @Test
    void anApiKeyNeedsANameAndNamespace() {
        assertThat(errors(LISTENER + "security: {authentication: {type: api_key, keys: [{key_secret: k}]}}\n"))
                .containsExactly(
                        "security.authentication.keys[0].name: is required",
                        "security.authentication.keys[0].namespace: is required");
    }

    @Test
    void tlsFilesMustExist(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                listeners:
                  - {name: llm, port: 8443, protocol: HTTP, tls: {cert_file: tls.crt, key_file: tls.key, client_ca_file: ca.crt}}
                """);
        ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);
        try {
            loader.load(file);
        } catch (ConfigException e) {
            assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                    "listeners[0].tls.cert_file: \"tls.crt\" is not a readable file",
                    "listeners[0].tls.key_file: \"tls.key\" is not a readable file",
                    "listeners[0].tls.client_ca_file: \"ca.crt\" is not a readable file");
            return;
        }
        throw new AssertionError("missing TLS files were accepted");
    }

    @Test
    void trustDomainMustBeASpiffeTrustDomain() {
        assertThat(errors("""
                listeners:
                  - {name: llm, port: 8080, protocol: HTTP, tls: {cert_file: /dev/null, key_file: /dev/null, client_ca_file: /dev/null}}
                security: {authentication: {type: mtls, trust_domain: "Cluster.Local/"}}
                """)).containsExactly("security.authentication.trust_domain: \"Cluster.Local/\" is not a SPIFFE trust domain (lower-case letters, digits, '.', '-', '_')");
    }
}
