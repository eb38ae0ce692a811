package io.agentgateway.it;

import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code limit_by: requests} budget whose resources cover {@code agent:*} counts A2A calls one by one;
 * a card served from the gateway's cache is not a call and is not counted.
 */
class A2aBudgetIT {
    static final ManualClock clock = ManualClock.at("2026-11-26T10:00:00Z");
    static FakeA2aAgent agent;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        agent = FakeA2aAgent.start();
        gateway = TestGateway.start(TestGateway.A2A_LISTENER + TestGateway.DEV_KEY + """
                a2a:
                  default_url: ""
                  agents:
                    - {name: reviewer, namespace: dev-team, url: "%1$s"}
                    - {name: payments, namespace: production, url: "%1$s"}
                  authorization:
                    - {name: dev-team-agents, source: {namespace: dev-team}, target: {namespace: dev-team}, action: allow}
                rate_limiting:
                  - name: dev-team-agent-calls
                    match: {kubernetes: {namespace: dev-team}}
                    limit: 3
                    window: 24h
                    limit_by: requests
                    resources: ["agent:*"]
                """.formatted(agent.url()), Map.of("DEV_KEY", "dev-secret"), clock);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
    }

    @Test
    void callsAndCardFetchesCountRefusalsDoNot() {
        A2aClient dev = new A2aClient(gateway.url("a2a"), "dev-secret");
        A2aClient.Answer first = dev.post("/dev-team/reviewer", A2aWire.sendRequest(1, "message/send", "one", null, null));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-ratelimit-limit-requests")).isEqualTo("3");
        assertThat(first.header("x-ratelimit-remaining-requests")).isEqualTo("2");

        assertThat(dev.post("/production/payments", A2aWire.sendRequest(2, "message/send", "no", null, null)).status())
                .isEqualTo(403);
        A2aClient.Answer card = dev.get("/dev-team/reviewer/.well-known/agent-card.json");
        assertThat(card.header("x-ratelimit-remaining-requests")).as("the refused call took nothing").isEqualTo("1");
        A2aClient.Answer cached = dev.get("/dev-team/reviewer/.well-known/agent-card.json");
        assertThat(cached.status()).isEqualTo(200);
        assertThat(cached.header("x-ratelimit-remaining-requests")).as("a card from the cache is not charged").isNull();
        assertThat(dev.stream("/dev-team/reviewer", A2aWire.sendRequest(3, "message/stream", "three", null, null))
                .headers().firstValue("x-ratelimit-remaining-requests")).contains("0");

        int calls = agent.calls().size();
        A2aClient.Answer over = dev.post("/dev-team/reviewer", A2aWire.sendRequest(4, "message/send", "four", null, null));
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("retry-after")).isNotBlank();
        assertThat(over.json().get("id").asInt()).isEqualTo(4);
        assertThat(over.json().at("/error/data/type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(over.json().at("/error/message").asText()).contains("dev-team-agent-calls");
        assertThat(agent.calls()).hasSize(calls);
    }
}
