package io.agentgateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.testing.RedisServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's JSON against two replicas sharing a real {@code redis-server}: the usage one
 * replica shows includes what the other served (the cluster-wide figure), the simulator and the
 * A2A matrix name the rules the gateway decides with, the audit stream filters live events, and a
 * refused reload is in the history with its error.
 */
class ConsoleApiIT {
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static RedisServer redis;
    static TestGateway replicaA;
    static TestGateway replicaB;
    static String yaml;

    @BeforeAll
    static void start() {
        redis = RedisServer.start(null);
        yaml = TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: mock, type: mock}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: a, key_secret: team-a-key, namespace: team-a, service_account: agent-a}
                      - {name: b, key_secret: team-b-key, namespace: team-b}
                authorization:
                  default_action: allow
                  policies: []
                a2a:
                  agents:
                    - {name: code-assistant, namespace: team-a, url: "http://127.0.0.1:9"}
                    - {name: billing, namespace: team-b, url: "http://127.0.0.1:9"}
                  authorization:
                    - {name: same-team, source: {namespace: team-a}, target: {namespace: team-a}, action: allow}
                    - {name: no-billing, source: {namespace: team-a}, target: {namespace: team-b}, action: deny}
                rate_limiting:
                  - name: twenty-requests
                    match: {kubernetes: {namespace: team-a}}
                    limit: 20
                    window: 1h
                    limit_by: requests
                rate_limit_store:
                  type: redis
                  url: %s
                  key_prefix: "console:"
                """.formatted(redis.url());
        Map<String, String> env = Map.of("TEAM_A_KEY", "key-a", "TEAM_B_KEY", "key-b");
        replicaA = TestGateway.withConsole(yaml, env);
        replicaB = TestGateway.withConsole(yaml, env);
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    static int chat(TestGateway g, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(g.url("llm") + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static JsonNode get(TestGateway g, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(g.adminUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    static JsonNode namespace(JsonNode report, String name) {
        for (JsonNode ns : report.path("namespaces")) {
            if (name.equals(ns.path("name").asText())) {
                return ns;
            }
        }
        throw new AssertionError("no namespace " + name + " in " + report);
    }

    @Test
    void aReplicaShowsTheClusterWideUseOfABudgetFromRedis() throws Exception {
        long before = namespace(get(replicaB, "/api/namespaces"), "team-a").path("budgets").get(0).path("used").asLong();
        for (int i = 0; i < 3; i++) {
            assertThat(chat(replicaA, "key-a")).isEqualTo(200);
        }
        JsonNode budget = namespace(get(replicaB, "/api/namespaces"), "team-a").path("budgets").get(0);
        assertThat(budget.path("rule").asText()).isEqualTo("twenty-requests");
        assertThat(budget.path("limit").asLong()).isEqualTo(20);
        assertThat(budget.path("used").asLong()).isEqualTo(before + 3);
        assertThat(budget.path("history").size()).isPositive();
        assertThat(namespace(get(replicaA, "/api/namespaces"), "team-a").path("models").get(0).path("model").asText())
                .isEqualTo("gpt-4");
    }

    @Test
    void theSimulatorAndTheMatrixNameTheA2aRuleThatDecides() throws Exception {
        JsonNode denied = get(replicaA, "/api/check?namespace=team-a&service_account=agent-a&resource=agent:team-b/billing");
        assertThat(denied.path("decision").asText()).isEqualTo("deny");
        assertThat(denied.path("decided_by").path("name").asText()).isEqualTo("no-billing");
        assertThat(denied.path("refusal").asText()).contains("no-billing");
        JsonNode allowed = get(replicaA, "/api/check?namespace=team-a&resource=agent:team-a/code-assistant");
        assertThat(allowed.path("decision").asText()).isEqualTo("allow");
        assertThat(allowed.path("decided_by").path("name").asText()).isEqualTo("same-team");

        JsonNode matrix = get(replicaA, "/api/a2a");
        JsonNode teamA = null;
        for (JsonNode row : matrix.path("rows")) {
            if ("team-a".equals(row.path("source").asText())) {
                teamA = row;
            }
        }
        assertThat(teamA).isNotNull();
        assertThat(teamA.path("cells").get(0).path("rule").asText()).isEqualTo("same-team");
        assertThat(teamA.path("cells").get(0).path("decision").asText()).isEqualTo("allow");
        assertThat(teamA.path("cells").get(1).path("rule").asText()).isEqualTo("no-billing");
        assertThat(teamA.path("cells").get(1).path("decision").asText()).isEqualTo("deny");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(replicaA.adminUrl()
                + "/api/check?namespace=team-a&resource=agent:nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("is not agent:NAMESPACE/NAME");
    }

    @Test
    void theAuditStreamSendsOnlyMatchingEventsAsTheyAreWritten() throws Exception {
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(replicaA.adminUrl()
                + "/api/audit/events?namespace=team-b&status=200")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.headers().firstValue("content-type")).get().asString().startsWith("text/event-stream");
        Iterator<String> lines = stream.body().iterator();
        assertThat(chat(replicaA, "key-a")).isEqualTo(200);
        assertThat(chat(replicaA, "key-b")).isEqualTo(200);
        String event = CompletableFuture.supplyAsync(() -> {
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data: ")) {
                    return line.substring(6);
                }
            }
            return null;
        }).get(20, TimeUnit.SECONDS);
        JsonNode e = json.readTree(event);
        assertThat(e.path("principal").path("namespace").asText()).isEqualTo("team-b");
        assertThat(e.path("status").asInt()).isEqualTo(200);
        assertThat(e.path("hash").asText()).hasSize(64);
        stream.body().close();

        JsonNode chain = get(replicaA, "/api/audit/chain");
        assertThat(chain.path("intact").asBoolean()).isTrue();
        assertThat(chain.path("written").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRefusedReloadIsInTheHistoryWithItsError() throws Exception {
        // Valid YAML and values, but planning finds the CA file missing: the gateway refuses it.
        String broken = yaml.substring(0, yaml.indexOf("security:")) + """
                security:
                  authentication:
                    type: kubernetes
                    kubernetes: {api_server: "https://127.0.0.1:6443", ca_file: no-such-ca.crt}
                """ + yaml.substring(yaml.indexOf("authorization:"));
        try {
            replicaB.reload(broken);
        } catch (Exception expected) {
            // refused: the running config stays
        }
        JsonNode last = get(replicaB, "/api/reloads").path("reloads").get(0);
        assertThat(last.path("result").asText()).isEqualTo("refused");
        assertThat(last.path("errors").get(0).asText()).contains("security.authentication.kubernetes.ca_file");
        assertThat(chat(replicaB, "key-b")).isEqualTo(200);
    }
}
