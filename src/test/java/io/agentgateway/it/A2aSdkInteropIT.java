package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.NodeProject;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official A2A JavaScript SDK ({@code @a2a-js/sdk} 1.3.0, from npm) on both sides of the
 * gateway: an agent serving JSON-RPC and HTTP+JSON with a signed card, and a client that prefers
 * HTTP+JSON (REST). Through the gateway the client sends, streams and gets a task over REST,
 * finds both bindings in the card pointing at the gateway (and no gRPC), gets the extended card
 * over REST, and verifies the signatures of both cards with the key the gateway publishes.
 */
class A2aSdkInteropIT {
    static NodeProject sdk;
    static NodeProject.Running agent;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        sdk = NodeProject.install("a2a-sdk");
        agent = sdk.start("agent.mjs", Map.of());
        String port = agent.awaitLine("listening ", Duration.ofSeconds(30)).substring("listening ".length()).trim();
        gateway = TestGateway.start("""
                listeners: [{name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}]
                admin: {address: 127.0.0.1, port: 0}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team}
                      - {name: prod, key_secret: prod-key, namespace: production}
                a2a:
                  default_url: ""
                  agents: [{name: echo, namespace: dev-team, url: "http://127.0.0.1:%s/a2a/jsonrpc"}]
                  authorization:
                    - {name: dev-team-agents, source: {namespace: dev-team}, target: {namespace: dev-team}, action: allow}
                    - {name: no-production-callers, source: {namespace: production}, target: {namespace: dev-team}, action: deny}
                """.formatted(port), Map.of("DEV_KEY", "dev-secret", "PROD_KEY", "prod-secret"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void anSdkClientThatPrefersRestSendsStreamsAndGetsThroughTheGateway() throws Exception {
        String agentUrl = gateway.url("a2a") + "/dev-team/echo";
        JsonNode seen;
        try (NodeProject.Running client = sdk.start("client.mjs", Map.of("AGENT_URL", agentUrl, "API_KEY", "dev-secret"))) {
            int exit = client.await(Duration.ofSeconds(60));
            seen = A2aWire.JSON.readTree(client.lastLine());
            assertThat(exit).as(client.output()).isZero();
        }
        assertThat(seen.path("error").isMissingNode()).as(seen.toPrettyString()).isTrue();
        assertThat(seen.get("transport").asText()).isEqualTo("HTTP+JSON");
        assertThat(seen.get("interfaces")).extracting(JsonNode::asText)
                .containsExactly("JSONRPC " + agentUrl, "HTTP+JSON " + agentUrl);
        assertThat(seen.get("requests")).extracting(JsonNode::asText).containsExactly(
                "GET /dev-team/echo/.well-known/agent-card.json",
                "GET /dev-team/echo/extendedAgentCard",
                "POST /dev-team/echo/message:send",
                "POST /dev-team/echo/message:stream",
                "GET /dev-team/echo/tasks/" + seen.at("/requests/4").asText().substring("GET /dev-team/echo/tasks/".length()),
                "GET /dev-team/echo/.well-known/agent-card.json");
        assertThat(seen.get("extendedCardVerified").asBoolean()).as("the extended card, re-signed").isTrue();
        assertThat(seen.get("skills")).extracting(JsonNode::asText).containsExactly("echo", "review");
        assertThat(seen.at("/send/text").asText()).isEqualTo("echo: hello over REST");
        assertThat(seen.at("/send/state").asInt()).as("TASK_STATE_COMPLETED").isEqualTo(3);
        assertThat(seen.get("stream")).extracting(JsonNode::asText)
                .containsExactly("task", "statusUpdate", "artifactUpdate", "statusUpdate");
        assertThat(seen.at("/get/id").asBoolean()).isTrue();
        assertThat(seen.at("/get/text").asText()).isEqualTo("echo: streamed over REST");
        assertThat(seen.get("jku").asText()).isEqualTo(gateway.url("a2a") + "/.well-known/jwks.json");
        assertThat(seen.get("signatureVerified").asBoolean()).isTrue();

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String method : new String[]{"SendMessage", "SendStreamingMessage", "GetTask"}) {
            assertThat(metrics).as(method).containsPattern("agentgateway_a2a_requests_total\\{[^}]*method=\"" + method + "\"");
        }
    }

    @Test
    void restCallsAreGovernedLikeJsonRpcCalls() {
        A2aClient prod = new A2aClient(gateway.url("a2a"), "prod-secret");
        A2aClient.Answer refused = prod.post("/dev-team/echo/message:send",
                A2aWire.JSON.createObjectNode().set("message", A2aWire.JSON.createObjectNode().put("messageId", "m")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(refused.json().at("/error/details/0/metadata/policy").asText()).isEqualTo("no-production-callers");

        A2aClient stranger = new A2aClient(gateway.url("a2a"), "wrong");
        assertThat(stranger.get("/dev-team/echo/tasks/t-1").status()).isEqualTo(401);

        A2aClient dev = new A2aClient(gateway.url("a2a"), "dev-secret");
        A2aClient.Answer unknown = dev.get("/dev-team/echo/no/such/thing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/message").asText()).contains("no A2A HTTP+JSON operation");
        A2aClient.Answer missing = dev.get("/dev-team/echo/tasks/no-such-task", "A2A-Version", "1.0");
        assertThat(missing.status()).as(missing.body()).isEqualTo(404);
        assertThat(missing.json().at("/error/details/0/domain").asText()).as("the agent's own error").isEqualTo("a2a-protocol.org");
    }
}
