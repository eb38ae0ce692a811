package io.agentgateway.it;

import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's {@code a2a.authorization} rules end to end, with API-key identities: dev-team may
 * call dev-team's agents, not production's. The resource policies on {@code agent:NS/NAME} must
 * allow as well.
 */
class A2aAuthorizationIT {
    static FakeA2aAgent agent;
    static TestGateway gateway;
    static A2aClient devTeam;
    static A2aClient production;

    @BeforeAll
    static void start() {
        agent = FakeA2aAgent.start();
        gateway = TestGateway.start(TestGateway.A2A_LISTENER + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}
                      - {name: prod, key_secret: prod-key, namespace: production, service_account: payments}
                a2a:
                  default_url: ""
                  agents:
                    - {name: reviewer, namespace: dev-team, url: "%1$s"}
                    - {name: vault, namespace: dev-team, url: "%1$s"}
                    - {name: payments, namespace: production, url: "%1$s"}
                  authorization:
                    - name: dev-team-agents
                      source: {namespace: dev-team}
                      target: {namespace: dev-team}
                      action: allow
                    - name: cross-namespace-restricted
                      source: {namespace: dev-team}
                      target: {namespace: production}
                      action: deny
                authorization:
                  policies:
                    - name: agents-for-everyone
                      match: {kubernetes: {namespaces: [dev-team, production]}}
                      resources: ["agent:*"]
                      action: allow
                    - name: no-one-calls-the-vault
                      resources: ["agent:dev-team/vault"]
                      action: deny
                """.formatted(agent.url()), Map.of("DEV_KEY", "dev-secret", "PROD_KEY", "prod-secret"), Clock.systemUTC());
        devTeam = new A2aClient(gateway.url("a2a"), "dev-secret");
        production = new A2aClient(gateway.url("a2a"), "prod-secret");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
    }

    @Test
    void devTeamMayCallDevTeamAgents() {
        A2aClient.Answer a = devTeam.post("/dev-team/reviewer", A2aWire.sendRequest(1, "message/send", "review", null, null));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(devTeam.get("/dev-team/reviewer/.well-known/agent-card.json").status()).isEqualTo(200);
    }

    @Test
    void devTeamMayNotCallProductionAndTheRefusalNamesTheRule() {
        int before = agent.received().size();
        A2aClient.Answer a = devTeam.post("/production/payments", A2aWire.sendRequest(2, "message/send", "pay", null, null));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("id").asInt()).isEqualTo(2);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(a.json().at("/error/message").asText()).contains("cross-namespace-restricted")
                .contains("dev-team").contains("agent:production/payments");
        assertThat(a.json().at("/error/data/policy").asText()).isEqualTo("cross-namespace-restricted");
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("permission_denied");

        A2aClient.Answer card = devTeam.get("/production/payments/.well-known/agent-card.json");
        assertThat(card.status()).isEqualTo(403);
        assertThat(card.json().at("/error/data/policy").asText()).isEqualTo("cross-namespace-restricted");
        assertThat(agent.received()).hasSize(before);
    }

    @Test
    void withRulesConfiguredWhatNoRuleAllowsIsDenied() {
        A2aClient.Answer a = production.post("/production/payments", A2aWire.sendRequest(3, "message/send", "pay", null, null));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().at("/error/data/policy").asText()).isEqualTo("default");
        assertThat(a.json().at("/error/message").asText()).contains("no a2a rule allows");
    }

    @Test
    void theResourcePoliciesMustAllowToo() {
        A2aClient.Answer a = devTeam.post("/dev-team/vault", A2aWire.sendRequest(4, "message/send", "open", null, null));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().at("/error/data/policy").asText()).isEqualTo("no-one-calls-the-vault");
        assertThat(a.json().at("/error/message").asText()).contains("agent:dev-team/vault");
    }

    @Test
    void callsAreCountedBySourceTargetAndMethod() {
        devTeam.post("/dev-team/reviewer", A2aWire.sendRequest(5, "message/send", "count me", null, null));
        devTeam.post("/production/payments", A2aWire.sendRequest(6, "message/send", "and me", null, null));
        devTeam.post("/dev-team/reviewer", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"made/up\"}");
        String metrics = new A2aClient(gateway.adminUrl(), null).get("/metrics").body();
        assertThat(metrics).contains("agentgateway_a2a_requests_total{method=\"message/send\",source_namespace=\"dev-team\","
                + "target_agent=\"reviewer\",target_namespace=\"dev-team\"}");
        assertThat(metrics).contains("agentgateway_a2a_requests_total{method=\"message/send\",source_namespace=\"dev-team\","
                + "target_agent=\"payments\",target_namespace=\"production\"}");
        assertThat(metrics).contains("agentgateway_a2a_requests_total{method=\"other\",source_namespace=\"dev-team\","
                + "target_agent=\"reviewer\",target_namespace=\"dev-team\"}");
        assertThat(metrics).contains("agentgateway_authz_decisions_total{decision=\"deny\",policy=\"cross-namespace-restricted\",protocol=\"a2a\"}");
    }
}
