package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Agent cards through the gateway: rewritten to point at it, cached, and refused when broken. */
class A2aCardIT {
    static final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T00:00:00Z"));
    static FakeA2aAgent agent;
    static TestGateway gateway;
    static A2aClient direct;
    static A2aClient proxied;

    @BeforeAll
    static void start() throws Exception {
        agent = FakeA2aAgent.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StringBuilder agents = new StringBuilder();
        for (String name : new String[]{"code-assistant", "legacy", "v1", "cached", "no-store", "short-lived",
                "not-json", "no-url", "failing", "rpc-card", "huge"}) {
            agents.append("    - {name: ").append(name).append(", namespace: dev-team, url: \"").append(agent.url()).append("\"}\n");
        }
        gateway = TestGateway.start("""
                listeners:
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
                  - {name: a2a-behind-proxy, address: 127.0.0.1, port: 0, protocol: A2A, trusted_proxies: [127.0.0.1/32]}
                admin: {address: 127.0.0.1, port: 0}
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team}]
                a2a:
                  default_url: ""
                  card_cache_ttl: 30s
                  agents:
                    - {name: offline, namespace: dev-team, url: "http://127.0.0.1:%d/"}
                %s""".formatted(closedPort, agents), Map.of("DEV_KEY", "dev-secret"), clock);
        direct = new A2aClient(gateway.url("a2a"), "dev-secret");
        proxied = new A2aClient(gateway.url("a2a-behind-proxy"), "dev-secret");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
    }

    @BeforeEach
    void defaults() {
        agent.card(new FakeA2aAgent.CardV03());
    }

    @Test
    void theCardPointsAtTheGatewayAndKeepsEverythingElse() {
        A2aClient.Answer a = direct.get("/dev-team/code-assistant/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(200);
        JsonNode card = a.json();
        String self = gateway.url("a2a") + "/dev-team/code-assistant";
        assertThat(card.get("url").asText()).isEqualTo(self);
        assertThat(card.get("additionalInterfaces")).hasSize(1);
        assertThat(card.at("/additionalInterfaces/0/url").asText()).isEqualTo(self);
        assertThat(card.at("/additionalInterfaces/0/transport").asText()).isEqualTo("JSONRPC");

        ObjectNode expected = A2aWire.card(agent.url());
        expected.remove("url");
        expected.remove("additionalInterfaces");
        ObjectNode rest = card.deepCopy();
        rest.remove("url");
        rest.remove("additionalInterfaces");
        assertThat(rest).isEqualTo(expected);
        assertThat(card.at("/provider/url").asText()).isEqualTo("https://example.com/platform");
        assertThat(agent.received().get(agent.received().size() - 1).path()).isEqualTo("/.well-known/agent-card.json");
    }

    @Test
    void theLegacyNameServesTheSameCard() {
        JsonNode card = direct.get("/dev-team/code-assistant/.well-known/agent.json").json();
        assertThat(card.get("url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/code-assistant");
        assertThat(card.get("name").asText()).isEqualTo("Code Assistant");
    }

    @Test
    void anAgentWithOnlyTheLegacyCardNameIsFound() {
        agent.card(new FakeA2aAgent.LegacyCardOnly());
        A2aClient.Answer a = direct.get("/dev-team/legacy/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/legacy");
    }

    @Test
    void anA2a10CardHasItsJsonRpcInterfaceRewrittenAndNoOtherBinding() {
        agent.card(new FakeA2aAgent.CardV1());
        JsonNode card = direct.get("/dev-team/v1/.well-known/agent-card.json").json();
        assertThat(card.has("url")).isFalse();
        assertThat(card.get("supportedInterfaces")).hasSize(1);
        assertThat(card.at("/supportedInterfaces/0/url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/v1");
        assertThat(card.at("/supportedInterfaces/0/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(card.at("/supportedInterfaces/0/protocolVersion").asText()).isEqualTo("1.0");
    }

    @Test
    void forwardedHeadersCountOnlyFromATrustedProxy() {
        String[] forwarded = {"X-Forwarded-Proto", "https", "X-Forwarded-Host", "agents.example.com"};
        assertThat(proxied.get("/dev-team/code-assistant/.well-known/agent-card.json", forwarded).json().get("url").asText())
                .isEqualTo("https://agents.example.com/dev-team/code-assistant");
        assertThat(direct.get("/dev-team/code-assistant/.well-known/agent-card.json", forwarded).json().get("url").asText())
                .isEqualTo(gateway.url("a2a") + "/dev-team/code-assistant");
    }

    @Test
    void cardsAreCachedForTheConfiguredTime() {
        int before = agent.cardFetches();
        direct.get("/dev-team/cached/.well-known/agent-card.json");
        A2aClient.Answer again = direct.get("/dev-team/cached/.well-known/agent-card.json");
        assertThat(again.json().get("url").asText()).endsWith("/dev-team/cached");
        assertThat(agent.cardFetches()).isEqualTo(before + 1);
        clock.advance(Duration.ofSeconds(31));
        direct.get("/dev-team/cached/.well-known/agent-card.json");
        assertThat(agent.cardFetches()).isEqualTo(before + 2);
    }

    @Test
    void theAgentsCacheControlIsRespected() {
        String body = A2aWire.card(agent.url()).toString();
        agent.card(new FakeA2aAgent.RawCard(200, "application/json", body, "no-store"));
        int before = agent.cardFetches();
        direct.get("/dev-team/no-store/.well-known/agent-card.json");
        direct.get("/dev-team/no-store/.well-known/agent-card.json");
        assertThat(agent.cardFetches()).isEqualTo(before + 2);

        agent.card(new FakeA2aAgent.RawCard(200, "application/json", body, "public, max-age=5"));
        direct.get("/dev-team/short-lived/.well-known/agent-card.json");
        direct.get("/dev-team/short-lived/.well-known/agent-card.json");
        assertThat(agent.cardFetches()).isEqualTo(before + 3);
        clock.advance(Duration.ofSeconds(6));
        direct.get("/dev-team/short-lived/.well-known/agent-card.json");
        assertThat(agent.cardFetches()).isEqualTo(before + 4);
    }

    @Test
    void aCardThatIsNotJsonIsABadGateway() {
        agent.card(new FakeA2aAgent.RawCard(200, "text/html", "<html>welcome</html>", null));
        A2aClient.Answer a = direct.get("/dev-team/not-json/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("invalid_agent_card");
        assertThat(a.json().at("/error/message").asText()).contains("dev-team/not-json").contains("not valid JSON");
    }

    @Test
    void aCardTooLargeToBeACardIsABadGateway() {
        ObjectNode card = A2aWire.card(agent.url());
        card.put("description", "x".repeat(1_100_000));
        agent.card(new FakeA2aAgent.RawCard(200, "application/json", card.toString(), null));
        A2aClient.Answer a = direct.get("/dev-team/huge/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/message").asText()).contains("larger than 1048576 bytes");
    }

    @Test
    void aCardWithoutUrlIsABadGateway() {
        ObjectNode card = A2aWire.card(agent.url());
        card.remove("url");
        card.remove("additionalInterfaces");
        agent.card(new FakeA2aAgent.RawCard(200, "application/json", card.toString(), null));
        A2aClient.Answer a = direct.get("/dev-team/no-url/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/message").asText()).contains("has no url");
    }

    @Test
    void anAgentFailingToServeItsCardIsABadGateway() {
        agent.card(new FakeA2aAgent.RawCard(500, "text/plain", "boom", null));
        A2aClient.Answer a = direct.get("/dev-team/failing/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/message").asText()).contains("HTTP 500");
    }

    @Test
    void anAgentThatIsDownIsABadGateway() {
        A2aClient.Answer a = direct.get("/dev-team/offline/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("upstream_unreachable");
        assertThat(a.json().at("/error/message").asText()).contains("dev-team/offline");
    }

    @Test
    void anUnknownAgentHasNoCard() {
        A2aClient.Answer a = direct.get("/dev-team/ghost/.well-known/agent-card.json");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("agent_not_found");
        assertThat(new A2aClient(gateway.url("a2a"), null).get("/dev-team/code-assistant/.well-known/agent-card.json")
                .status()).isEqualTo(401);
    }

    @Test
    void theExtendedCardAnsweredOverJsonRpcIsRewrittenToo() {
        agent.script(r -> new FakeA2aAgent.Status(200, "application/json",
                A2aWire.result(r.json().get("id"), A2aWire.card(agent.url())).toString()));
        try {
            JsonNode answer = direct.post("/dev-team/rpc-card",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"agent/getAuthenticatedExtendedCard\"}").json();
            assertThat(answer.at("/result/url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/rpc-card");
            assertThat(answer.at("/result/name").asText()).isEqualTo("Code Assistant");
        } finally {
            agent.always(new FakeA2aAgent.Serve());
        }
    }
}
