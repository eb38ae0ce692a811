package io.agentgateway.config;

import io.agentgateway.config.ListenerConfig.Protocol;
import io.agentgateway.config.LoggingConfig.AuditOutputConfig;
import io.agentgateway.config.RateLimitRule.LimitBy;
import io.agentgateway.config.TracingConfig.Propagation;
import io.agentgateway.testing.SeedFragments;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The user's description (shared/seed/000_*.txt) is the contract: every key it shows must work as
 * written. examples/seed.yaml holds all of its fragments in one file.
 */
class SeedConfigTest {
    static GatewayConfig seed;

    @BeforeAll
    static void loadSeed() throws ConfigException {
        // no environment at all: the seed needs none to load
        seed = new ConfigLoader(name -> null).load(Path.of("examples/seed.yaml"));
    }

    @Test
    void listenersAreThePortsAndProtocolsOfTheSeed() {
        assertThat(seed.listeners())
                .extracting(ListenerConfig::name, ListenerConfig::address, ListenerConfig::port, ListenerConfig::protocol)
                .containsExactly(
                        tuple("llm", "0.0.0.0", 8080, Protocol.HTTP),
                        tuple("mcp", "0.0.0.0", 8081, Protocol.MCP),
                        tuple("a2a", "0.0.0.0", 8082, Protocol.A2A));
    }

    @Test
    void openAiProviderNamesItsSecret() {
        assertThat(seed.llm().providers()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("openai");
            assertThat(p.type()).isEqualTo(ProviderConfig.ProviderType.OPENAI);
            assertThat(p.apiKeySecret()).isEqualTo("openai-credentials");
            assertThat(p.apiKeySecretKey()).isEqualTo("api-key");
        });
    }

    @Test
    void authenticationIsKubernetesWithTheAllowedNamespaces() {
        AuthenticationConfig auth = seed.security().authentication();
        assertThat(auth.allowedNamespaces()).containsExactly("ai-agents", "dev-team", "prod-team");
        assertThat(auth.methods()).isNull();
        assertThat(auth.effectiveMethods()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(AuthMethodConfig.Type.KUBERNETES);
            assertThat(m.serviceAccountValidation()).isTrue();
        });
    }

    @Test
    void policiesKeepNamesNamespacesResourcesAndActions() {
        assertThat(seed.authorization().policies())
                .extracting(PolicyConfig::name, p -> p.match().kubernetes().namespace(), PolicyConfig::resources,
                        PolicyConfig::action)
                .containsExactly(
                        tuple("prod-policy", "production", List.of("model:gpt-4"), Action.ALLOW),
                        tuple("dev-policy", "development", List.of("model:*"), Action.ALLOW));
        assertThat(seed.authorization().effectiveDefault()).isEqualTo(Action.DENY);
    }

    @Test
    void a2aRulesKeepSourceTargetAndAction() {
        assertThat(seed.a2a().authorization())
                .extracting(A2aRuleConfig::name, r -> r.source().namespace(), r -> r.target().namespace(),
                        A2aRuleConfig::action)
                .containsExactly(
                        tuple("dev-team-agents", "dev-team", "dev-team", Action.ALLOW),
                        tuple("cross-namespace-restricted", "dev-team", "production", Action.DENY));
    }

    @Test
    void budgetsAreDailyTokenLimitsPerNamespace() {
        assertThat(seed.rateLimiting())
                .extracting(RateLimitRule::name, r -> r.match().kubernetes().namespace(), RateLimitRule::limit,
                        RateLimitRule::window, RateLimitRule::limitBy)
                .containsExactly(
                        tuple("dev-team-budget", "dev-team", 1_000_000L, Duration.ofHours(24), LimitBy.TOKENS),
                        tuple("prod-budget", "production", 5_000_000L, Duration.ofHours(24), LimitBy.TOKENS));
        assertThat(seed.rateLimiting().get(0).effectiveResources()).containsExactly("model:*");
    }

    @Test
    void tracingExportsOtlpToJaegerWithW3cAndB3() {
        TracingConfig t = seed.observability().tracing();
        assertThat(t.enabled()).isTrue();
        assertThat(t.exporter()).isEqualTo(TracingConfig.Exporter.OTLP);
        assertThat(t.endpoint()).isEqualTo("jaeger-collector.observability.svc:4317");
        assertThat(t.propagation()).containsExactly(Propagation.W3C, Propagation.B3);
    }

    @Test
    void auditLogGoesToStdoutAndElasticsearch() {
        LoggingConfig log = seed.observability().logging();
        assertThat(log.enabled()).isTrue();
        assertThat(log.format()).isEqualTo(LoggingConfig.Format.JSON);
        assertThat(log.output())
                .extracting(AuditOutputConfig::type, AuditOutputConfig::endpoint, AuditOutputConfig::index)
                .containsExactly(
                        tuple(AuditOutputConfig.Type.STDOUT, null, null),
                        tuple(AuditOutputConfig.Type.ELASTICSEARCH, "https://elasticsearch.logging.svc:9200",
                                "agentgateway-audit"));
    }

    /**
     * Each fragment exactly as the description prints it (with its comments), loaded on its own
     * beside the minimal listener where it has none, so no single fragment depends on the merge.
     */
    @ParameterizedTest(name = "seed fragment {index}")
    @ValueSource(strings = {
            """
            listeners:
              - name: llm
                address: 0.0.0.0
                port: 8080
                protocol: HTTP
              - name: mcp
                address: 0.0.0.0
                port: 8081
                protocol: MCP
              - name: a2a
                address: 0.0.0.0
                port: 8082
                protocol: A2A
            llm:
              providers:
                - name: openai
                  type: openai
                  api_key_secret: openai-credentials
            security:
              authentication:
                type: kubernetes
                service_account_validation: true
            """,
            SeedFragments.POLICIES,
            """
            security:
              authentication:
                type: kubernetes
                service_account_validation: true
                allowed_namespaces:
                  - ai-agents
                  - dev-team
                  - prod-team
            """,
            """
            a2a:
              authorization:
                - name: dev-team-agents
                  source:
                    namespace: dev-team
                  target:
                    namespace: dev-team
                  action: allow
                - name: cross-namespace-restricted
                  source:
                    namespace: dev-team
                  target:
                    namespace: production
                  action: deny
            """,
            SeedFragments.BUDGETS,
            """
            observability:
              tracing:
                enabled: true
                exporter: otlp
                endpoint: jaeger-collector.observability.svc:4317
                propagation:
                  - w3c
                  - b3
            """,
            """
            observability:
              logging:
                enabled: true
                format: json
                output:
                  - type: stdout
                  - type: elasticsearch
                    endpoint: https://elasticsearch.logging.svc:9200
                    index: agentgateway-audit
            """})
    void everySeedFragmentLoadsAsWritten(String fragment) throws ConfigException {
        String yaml = fragment.startsWith("listeners:") ? fragment : Configs.LISTENER + fragment;
        assertThat(Configs.load(yaml, Map.of())).isNotNull();
    }
}
