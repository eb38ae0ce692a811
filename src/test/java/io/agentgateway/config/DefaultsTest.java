package io.agentgateway.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an absent key means; docs/configuration.md lists the same defaults. */
class DefaultsTest {
    static GatewayConfig minimal;

    @BeforeAll
    static void loadMinimal() throws ConfigException {
        minimal = load(LISTENER);
    }

    @Test
    void listenerDefaults() {
        ListenerConfig l = minimal.listeners().get(0);
        assertThat(l.address()).isEqualTo("0.0.0.0");
        assertThat(l.tls()).isNull();
        assertThat(l.maxBodySize()).isEqualTo(DataSize.ofMebibytes(32));
        assertThat(l.maxHeaderSize()).isEqualTo(DataSize.ofKibibytes(16));
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(l.trustedProxies()).isEmpty();
    }

    @Test
    void adminAndTopLevelDefaults() {
        assertThat(minimal.admin().address()).isEqualTo("127.0.0.1");
        assertThat(minimal.admin().port()).isEqualTo(15000);
        assertThat(minimal.secretsDir()).isNull();
        assertThat(minimal.shutdown().gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void tlsClientAuthDefaultsToRequired() {
        assertThat(new TlsConfig("c", "k", "ca", null).clientAuth()).isEqualTo(TlsConfig.ClientAuth.REQUIRED);
    }

    @Test
    void llmDefaults() throws ConfigException {
        assertThat(minimal.llm().providers()).isEmpty();
        assertThat(minimal.llm().models()).isEmpty();
        assertThat(minimal.llm().defaultMaxTokens()).isEqualTo(4096);
        ProviderConfig p = load(LISTENER + "llm: {providers: [{name: o, type: openai}]}\n").llm().providers().get(0);
        assertThat(p.apiKeySecret()).isNull();
        assertThat(p.apiKeySecretKey()).isEqualTo("api-key");
        assertThat(p.baseUrl()).isNull();
        assertThat(p.models()).containsExactly("*");
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.headers()).isEmpty();
    }

    @Test
    void mcpDefaults() throws ConfigException {
        assertThat(minimal.mcp().servers()).isEmpty();
        assertThat(minimal.mcp().sessionKeySecret()).isNull();
        assertThat(minimal.mcp().sessionKeySecretKey()).isEqualTo("key");
        McpServerConfig s = load(LISTENER + "mcp: {servers: [{name: fs, transport: sse, url: \"http://fs:1/sse\"}]}\n")
                .mcp().servers().get(0);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.headers()).isEmpty();
        assertThat(s.command()).isEmpty();
        assertThat(s.env()).isEmpty();
    }

    @Test
    void a2aDefaultsFollowTheKagentConvention() {
        A2aConfig a = minimal.a2a();
        assertThat(a.defaultUrl()).isEqualTo("http://{name}.{namespace}:8080");
        assertThat(a.publicUrl()).isNull();
        assertThat(a.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(a.streamTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.cardCacheTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.agents()).isEmpty();
        assertThat(a.authorization()).isEmpty();
    }

    @Test
    void authenticationMethodDefaults() throws ConfigException {
        AuthMethodConfig m = load(LISTENER + "security: {authentication: {type: kubernetes}}\n")
                .security().authentication().method();
        assertThat(m.serviceAccountValidation()).isTrue();
        assertThat(m.audiences()).isEmpty();
        assertThat(m.kubernetes()).isEqualTo(KubernetesApiConfig.IN_CLUSTER);
        assertThat(m.kubernetes().apiServer()).isNull();
        assertThat(m.kubernetes().caFile()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
        assertThat(m.kubernetes().tokenFile()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(m.kubernetes().cacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(m.namespaceClaim()).isEqualTo("namespace");
        assertThat(m.serviceAccountClaim()).isEqualTo("service_account");
        assertThat(m.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(m.cacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(m.algorithms()).isEmpty();
        assertThat(m.header()).isNull();
    }

    @Test
    void authorizationDefaultIsAllowWithoutPoliciesAndDenyWithThem() throws ConfigException {
        assertThat(minimal.authorization().defaultAction()).isNull();
        assertThat(minimal.authorization().effectiveDefault()).isEqualTo(Action.ALLOW);
        AuthorizationConfig some = load(LISTENER + "authorization: {policies: [{name: p, resources: [\"model:*\"], action: allow}]}\n")
                .authorization();
        assertThat(some.effectiveDefault()).isEqualTo(Action.DENY);
    }

    @Test
    void budgetDefaults() throws ConfigException {
        assertThat(minimal.rateLimiting()).isEmpty();
        RateLimitRule r = load(LISTENER + "rate_limiting: [{name: a, limit: 1, window: 1h}]\n").rateLimiting().get(0);
        assertThat(r.match()).isNull();
        assertThat(r.limitBy()).isEqualTo(RateLimitRule.LimitBy.TOKENS);
        assertThat(r.resources()).isNull();
        assertThat(r.effectiveResources()).containsExactly("model:*");
        RateLimitStoreConfig s = minimal.rateLimitStore();
        assertThat(s.type()).isEqualTo(RateLimitStoreConfig.StoreType.MEMORY);
        assertThat(s.url()).isNull();
        assertThat(s.failureMode()).isEqualTo(RateLimitStoreConfig.FailureMode.FAIL_OPEN);
        assertThat(s.passwordSecretKey()).isEqualTo("password");
        assertThat(s.keyPrefix()).isEqualTo("agentgateway:");
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void observabilityDefaults() {
        ObservabilityConfig o = minimal.observability();
        assertThat(o.metrics().enabled()).isTrue();
        TracingConfig t = o.tracing();
        assertThat(t.enabled()).isFalse();
        assertThat(t.exporter()).isEqualTo(TracingConfig.Exporter.OTLP);
        assertThat(t.protocol()).isEqualTo(TracingConfig.OtlpProtocol.GRPC);
        assertThat(t.propagation()).containsExactly(TracingConfig.Propagation.W3C);
        assertThat(t.samplingRatio()).isEqualTo(1.0);
        assertThat(t.serviceName()).isEqualTo("agentgateway");
        LoggingConfig l = o.logging();
        assertThat(l.enabled()).isTrue();
        assertThat(l.format()).isEqualTo(LoggingConfig.Format.JSON);
        assertThat(l.includePayloads()).isFalse();
        assertThat(l.output()).singleElement().satisfies(out -> {
            assertThat(out.type()).isEqualTo(LoggingConfig.AuditOutputConfig.Type.STDOUT);
            assertThat(out.batchSize()).isEqualTo(500);
            assertThat(out.flushInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(out.insecureSkipVerify()).isFalse();
        });
    }

    @Test
    void anEmptySectionIsTheSameAsAnAbsentOne() throws ConfigException {
        GatewayConfig empty = load(LISTENER + """
                llm: {}
                mcp: {}
                a2a: {}
                security: {}
                authorization: {}
                rate_limiting: []
                rate_limit_store: {}
                observability: {}
                shutdown: {}
                admin: {}
                """);
        assertThat(empty).isEqualTo(minimal);
    }

    @Test
    void listsAreImmutable() {
        List<ListenerConfig> listeners = minimal.listeners();
        assertThatThrownBy(() -> listeners.add(listeners.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }
}
