package io.agentgateway.a2a;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.server.GatewayError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which agents the listener reaches, and that a caller can never choose the address. */
class AgentRegistryTest {
    static A2aRuntime compile(String a2a, List<ConfigError> errors) throws Exception {
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                listeners: [{name: a2a, port: 8082, protocol: A2A}]
                security:
                  authentication: {type: api_key, allowed_namespaces: [dev-team], keys: [{name: k, key_hash: "sha256:%s", namespace: ops}]}
                """.formatted("0".repeat(64)) + a2a, null);
        return A2aRuntime.compile(config, Clock.systemUTC(), CardKeys.generated(), errors);
    }

    static AgentRegistry registry(String a2a) throws Exception {
        List<ConfigError> errors = new ArrayList<>();
        A2aRuntime runtime = compile(a2a, errors);
        assertThat(errors).isEmpty();
        return runtime.registry();
    }

    @Test
    void listedAgentsUseTheirUrl() throws Exception {
        AgentEndpoint e = registry("a2a: {agents: [{name: code-assistant, namespace: dev-team, url: \"https://ca.example.com:9443/a2a/\"}]}")
                .resolve("dev-team", "code-assistant");
        assertThat(e.ssl()).isTrue();
        assertThat(e.host()).isEqualTo("ca.example.com");
        assertThat(e.port()).isEqualTo(9443);
        assertThat(e.rpcPath()).isEqualTo("/a2a/");
        assertThat(e.wellKnownPath("agent-card.json")).isEqualTo("/a2a/.well-known/agent-card.json");
        assertThat(e.resource().id()).isEqualTo("agent:dev-team/code-assistant");
    }

    @Test
    void otherAgentsFollowTheKagentConventionInNamespacesTheConfigNames() throws Exception {
        AgentRegistry r = registry("a2a: {authorization: [{name: r, source: {namespace: dev-team}, target: {namespace: production}, action: allow}]}");
        AgentEndpoint e = r.resolve("dev-team", "code-assistant");
        assertThat(e.host()).isEqualTo("code-assistant.dev-team");
        assertThat(e.port()).isEqualTo(8080);
        assertThat(e.ssl()).isFalse();
        assertThat(e.rpcPath()).isEqualTo("/");
        assertThat(r.resolve("production", "payments").host()).isEqualTo("payments.production");
        assertThat(r.resolve("ops", "runbook").host()).isEqualTo("runbook.ops");
    }

    @Test
    void anAgentsEndpointIsBuiltOnceAndEachCallReusesIt() throws Exception {
        AgentRegistry r = registry("""
                a2a:
                  default_url: "http://kagent-controller.kagent:8083/api/a2a/{namespace}/{name}/"
                  agents: [{name: listed, namespace: dev-team, url: "http://listed:1/rpc"}]
                """);
        AgentEndpoint listed = r.resolve("dev-team", "listed");
        assertThat(r.resolve(new String("dev-team"), new String("listed"))).isSameAs(listed);
        assertThat(listed.id()).isEqualTo("dev-team/listed");
        AgentEndpoint helper = r.resolve("team-b", "helper");
        assertThat(r.resolve("team-b", "helper")).isSameAs(helper);
        assertThat(helper.id()).isEqualTo("team-b/helper");
        assertThat(helper.rpcPath()).isEqualTo("/api/a2a/team-b/helper/");
        // Another agent of the convention, and the same name in another namespace, are their own.
        assertThat(r.resolve("team-b", "other").rpcPath()).isEqualTo("/api/a2a/team-b/other/");
        assertThat(r.resolve("team-c", "helper").rpcPath()).isEqualTo("/api/a2a/team-c/helper/");
        assertThat(r.resolve("dev-team", "helper").rpcPath()).isEqualTo("/api/a2a/dev-team/helper/");
        // Past the bound, endpoints are still right, built per call.
        for (int i = 0; i < AgentRegistry.MAX_FILLED + 10; i++) {
            assertThat(r.resolve("ns-" + (i % 50), "agent-" + i).rpcPath()).isEqualTo("/api/a2a/ns-" + (i % 50) + "/agent-" + i + "/");
        }
        assertThat(r.resolve("team-b", "helper")).isSameAs(helper);
    }

    @Test
    void theConventionNeverReachesANamespaceThatCouldBeAPublicDomain() throws Exception {
        AgentRegistry r = registry("a2a: {}");
        assertThatThrownBy(() -> r.resolve("com", "evil"))
                .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageContaining("namespace \"com\" is not one the gateway's configuration names");
    }

    @Test
    void aTemplateWithThePlaceholdersInThePathTakesAnyNamespace() throws Exception {
        AgentEndpoint e = registry("a2a: {default_url: \"http://kagent-controller.kagent:8083/api/a2a/{namespace}/{name}/\"}")
                .resolve("team-b", "helper");
        assertThat(e.host()).isEqualTo("kagent-controller.kagent");
        assertThat(e.port()).isEqualTo(8083);
        assertThat(e.rpcPath()).isEqualTo("/api/a2a/team-b/helper/");
    }

    @Test
    void withTheConventionOffOnlyListedAgentsExist() throws Exception {
        AgentRegistry r = registry("a2a: {default_url: \"\", agents: [{name: a, namespace: dev-team, url: \"http://a:1\"}]}");
        assertThat(r.resolve("dev-team", "a").host()).isEqualTo("a");
        assertThatThrownBy(() -> r.resolve("dev-team", "b")).hasMessageContaining("not listed in a2a.agents");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dev-Team", "dev.team", "-dev", "dev-", "dev_team", "a%2e", "", "x1234567890123456789012345678901234567890123456789012345678901234"})
    void partsThatAreNotDnsLabelsAreRefusedBeforeAnyUrlIsBuilt(String bad) throws Exception {
        AgentRegistry r = registry("a2a: {default_url: \"http://gw:1/{namespace}/{name}\"}");
        assertThatThrownBy(() -> r.resolve(bad, "agent"))
                .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("DNS-1123");
        assertThatThrownBy(() -> r.resolve("dev-team", bad)).hasMessageContaining("DNS-1123");
    }

    @Test
    void unsafeTemplatesAreConfigErrors() throws Exception {
        List<ConfigError> errors = new ArrayList<>();
        compile("a2a: {default_url: \"http://{namespace}.{name}:8080\"}", errors);
        assertThat(errors).extracting(ConfigError::toString).containsExactly(
                "a2a.default_url: may not end its host with {name}: a caller could name a public domain");
        errors.clear();
        compile("a2a: {default_url: \"http://bot:secret@{name}.{namespace}.svc:8080\"}", errors);
        assertThat(errors).extracting(ConfigError::toString).containsExactly(
                "a2a.default_url: must not carry credentials; send them with a2a.agents[].headers");
        errors.clear();
        compile("a2a: {agents: [{name: a, namespace: dev-team, url: \"http://user:pw@a:1\"}]}", errors);
        assertThat(errors).extracting(ConfigError::toString).containsExactly(
                "a2a.agents[0].url: must not carry credentials; send them with a2a.agents[0].headers");
    }
}
