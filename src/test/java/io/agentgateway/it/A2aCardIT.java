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
                "not-json", "no-url", "failing", "rpc-card", "huge",
                "two-versions", "signed", "no-rest"}) {
            agents.append("    - {name: ").append(name).append(", namespace: dev-team, url: \"").append(agent.url()).append("\"}\n");
        }
        gateway = TestGateway.start("""
                listeners:
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
                  - {name: a2a-behind-proxy, address: 127.0.0.1, port: 0, protocol: A2A, trusted_proxies: [127.0.0.1/32]}
                admin: {address: 127.0.0.1, port: 0}
                """ + TestGateway.DEV_KEY + """
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
    void anA2a10CardHasItsJsonRpcAndRestInterfacesRewritten() {
        agent.card(new FakeA2aAgent.CardV1());
        JsonNode card = direct.get("/dev-team/v1/.well-known/agent-card.json").json();
        assertThat(card.has("url")).isFalse();
        assertThat(card.get("supportedInterfaces")).hasSize(2);
        assertThat(card.at("/supportedInterfaces/0/url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/v1");
        assertThat(card.at("/supportedInterfaces/0/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(card.at("/supportedInterfaces/0/protocolVersion").asText()).isEqualTo("1.0");
        assertThat(card.at("/supportedInterfaces/1/url").asText()).isEqualTo(gateway.url("a2a") + "/dev-team/v1");
        assertThat(card.at("/supportedInterfaces/1/protocolBinding").asText()).isEqualTo("HTTP+JSON");
    }

    @Test
    void aRestCallToAnAgentWhoseCardHasNoRestInterfaceIsNotFound() {
        agent.card(new FakeA2aAgent.CardV03());
        int calls = agent.calls().size();
        A2aClient.Answer a = direct.get("/dev-team/no-rest/tasks/t-1");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().at("/error/status").asText()).isEqualTo("NOT_FOUND");
        assertThat(a.json().at("/error/details/0/metadata/type").asText()).isEqualTo("binding_not_served");
        assertThat(a.json().at("/error/message").asText()).contains("dev-team/no-rest declares no HTTP+JSON interface");
        assertThat(agent.calls()).hasSize(calls);
    }

    @Test
    void cardsAreFetchedWithTheCallersVersionAndCachedPerVersion() {
        agent.card(new FakeA2aAgent.CardByVersion());
        int before = agent.cardFetches();
        JsonNode v1 = direct.get("/dev-team/two-versions/.well-known/agent-card.json", "A2A-Version", "1.0").json();
        JsonNode v03 = direct.get("/dev-team/two-versions/.well-known/agent-card.json").json();
        assertThat(v1.has("supportedInterfaces")).isTrue();
        assertThat(v1.has("url")).isFalse();
        assertThat(v03.get("protocolVersion").asText()).isEqualTo("0.3.0");
        assertThat(agent.received().get(agent.received().size() - 2).headers().get("a2a-version")).isEqualTo("1.0");
        assertThat(agent.received().get(agent.received().size() - 1).headers().get("a2a-version")).isNull();

        assertThat(direct.get("/dev-team/two-versions/.well-known/agent-card.json", "A2A-Version", "1.0").json())
                .as("from the cache").isEqualTo(v1);
        assertThat(direct.get("/dev-team/two-versions/.well-known/agent-card.json").json()).isEqualTo(v03);
        assertThat(agent.cardFetches()).isEqualTo(before + 2);

        A2aClient.Answer bad = direct.get("/dev-team/two-versions/.well-known/agent-card.json", "A2A-Version", "latest");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/message").asText()).contains("A2A-Version \"latest\" is not a protocol version");
    }

    @Test
    void aSignedCardIsReSignedByTheGateway() throws Exception {
        agent.card(new FakeA2aAgent.SignedCardV1());
        JsonNode card = direct.get("/dev-team/signed/.well-known/agent-card.json", "A2A-Version", "1.0").json();
        assertThat(card.get("signatures")).hasSize(1);
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new com.nimbusds.jose.util.Base64URL(card.at("/signatures/0/protected").asText()),
                new com.nimbusds.jose.Payload(canonical((ObjectNode) card)),
                new com.nimbusds.jose.util.Base64URL(card.at("/signatures/0/signature").asText()));
        assertThat(jws.getHeader().getJWKURL().toString()).isEqualTo(gateway.url("a2a") + "/.well-known/jwks.json");

        java.net.http.HttpResponse<String> jwks = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(jws.getHeader().getJWKURL()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).as("served without credentials").isEqualTo(200);
        assertThat(jwks.headers().firstValue("content-type")).contains("application/jwk-set+json");
        com.nimbusds.jose.jwk.JWK key = com.nimbusds.jose.jwk.JWKSet.parse(jwks.body()).getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(key.isPrivate()).isFalse();
        assertThat(jws.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(key.toECKey()))).isTrue();

        agent.card(new FakeA2aAgent.CardV1());
        assertThat(direct.get("/dev-team/v1/.well-known/agent-card.json").json().has("signatures"))
                .as("an unsigned card stays unsigned").isFalse();
    }

    /**
     * RFC 8785 of the card without signatures and empty values, written here independently of the
     * gateway: sorted keys (all strings in these cards are ASCII), no whitespace.
     */
    static String canonical(ObjectNode card) {
        ObjectNode copy = card.deepCopy();
        copy.remove("signatures");
        return canonicalValue(copy);
    }

    private static String canonicalValue(JsonNode n) {
        if (n.isObject()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            StringBuilder out = new StringBuilder("{");
            for (String name : names) {
                JsonNode v = n.get(name);
                if (v.isNull() || (v.isTextual() && v.asText().isEmpty()) || (v.isContainerNode() && v.isEmpty())) {
                    continue;
                }
                out.append(out.length() > 1 ? "," : "").append(A2aWire.JSON.getNodeFactory().textNode(name).toString()).append(':').append(canonicalValue(v));
            }
            return out.append('}').toString();
        }
        if (n.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (JsonNode v : n) {
                out.append(out.length() > 1 ? "," : "").append(canonicalValue(v));
            }
            return out.append(']').toString();
        }
        return n.toString();
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
