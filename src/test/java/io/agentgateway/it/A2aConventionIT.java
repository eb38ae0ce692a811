package io.agentgateway.it;

import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents not listed in {@code a2a.agents} reached by the {@code a2a.default_url} template (here
 * with the placeholders in the path, as a Kagent controller serves agents), and cards written
 * with {@code a2a.public_url}.
 */
class A2aConventionIT {
    static FakeA2aAgent agent;
    static TestGateway gateway;
    static A2aClient client;

    @BeforeAll
    static void start() {
        agent = FakeA2aAgent.start();
        gateway = TestGateway.start(TestGateway.A2A_LISTENER + """
                a2a:
                  default_url: "http://127.0.0.1:%d/api/a2a/{namespace}/{name}/"
                  public_url: "https://agents.example.com/a2a/"
                """.formatted(agent.port()));
        client = new A2aClient(gateway.url("a2a"), null);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
    }

    @Test
    void anUnlistedAgentIsReachedByTheTemplate() {
        A2aClient.Answer a = client.post("/kagent/k8s-agent", A2aWire.sendRequest(1, "message/send", "list pods", null, null));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(agent.lastCall().path()).isEqualTo("/api/a2a/kagent/k8s-agent/");
    }

    @Test
    void cardsAreFetchedUnderTheAgentsPathAndPointAtThePublicUrl() {
        A2aClient.Answer a = client.get("/kagent/helm-agent/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("url").asText()).isEqualTo("https://agents.example.com/a2a/kagent/helm-agent");
        assertThat(agent.received().get(agent.received().size() - 1).path())
                .isEqualTo("/api/a2a/kagent/helm-agent/.well-known/agent-card.json");
    }
}
