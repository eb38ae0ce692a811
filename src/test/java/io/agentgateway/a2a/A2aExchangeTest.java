package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.budget.BudgetExceededException;
import io.agentgateway.budget.Budgets;
import io.agentgateway.budget.Reservation;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.identity.Authentication;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.InFlight;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.Protocol;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeA2aAgent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The A2A listener on a real governance chain whose listener and budgets are recorders: one
 * exchange per JSON-RPC call, with the facts metrics, spans and audit read from it, and the
 * budget seam asked about every call that is forwarded (what a {@code limit_by: requests}
 * budget covering {@code agent:*} counts), and about none that is refused.
 */
class A2aExchangeTest {
    static final List<Exchange> completed = new CopyOnWriteArrayList<>();
    static final List<Resource> reserved = new CopyOnWriteArrayList<>();
    static Vertx vertx;
    static FakeA2aAgent agent;
    static HttpServer server;
    static A2aClient client;

    @BeforeAll
    static void start() throws Exception {
        agent = FakeA2aAgent.start();
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                listeners: [{name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}]
                a2a:
                  default_url: ""
                  agents:
                    - {name: code-assistant, namespace: dev-team, url: "%1$s"}
                    - {name: locked, namespace: dev-team, url: "%1$s"}
                    - {name: metered, namespace: dev-team, url: "%1$s"}
                    - {name: elsewhere, namespace: team-b, url: "%1$s"}
                  authorization:
                    - {name: anyone-to-dev-team, source: {}, target: {namespace: dev-team}, action: allow}
                """.formatted(agent.url()), null);
        List<ConfigError> errors = new ArrayList<>();
        A2aRuntime a2a = A2aRuntime.compile(config, Clock.systemUTC(), CardKeys.generated(), errors);
        assertThat(errors).isEmpty();
        PolicyEngine policies = (principal, resource, facts) -> switch (resource.id()) {
            case "agent:dev-team/locked" -> Decision.deny("locked-agent", "locked");
            case "agent:dev-team/code-assistant" -> Decision.ALLOW_DEFAULT;
            default -> Decision.allow("open-agents");
        };
        Budgets budgets = (principal, resource, estimate) -> {
            reserved.add(resource);
            return resource.id().equals("agent:dev-team/metered")
                    ? Future.failedFuture(new BudgetExceededException("agent-calls", "the requests budget agent-calls of"
                    + " namespace dev-team is spent", Duration.ofSeconds(30), MultiMap.caseInsensitiveMultiMap()))
                    : Future.succeededFuture(Reservation.NONE);
        };
        GovernanceChain chain = new GovernanceChain(Authentication.NONE, policies, budgets, completed::add,
                Clock.systemUTC(), new InFlight());
        A2aHandler handler = new A2aHandler(chain, a2a);
        vertx = Vertx.vertx();
        ListenerContext context = new ListenerContext(vertx, config.listeners().get(0), vertx.createHttpClient());
        server = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            handler.handle(request, context);
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        client = new A2aClient("http://127.0.0.1:" + server.actualPort(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        agent.close();
    }

    @BeforeEach
    void clear() {
        completed.clear();
        reserved.clear();
        agent.always(new FakeA2aAgent.Serve());
    }

    /** The exchange of the one call just made, once it has completed. */
    static Exchange only() {
        Await.until("the exchange completed", () -> !completed.isEmpty());
        assertThat(completed).hasSize(1);
        return completed.get(0);
    }

    @Test
    void aSendIsOneExchangeWithItsTaskAndFinalState() {
        JsonNode answer = client.post("/dev-team/code-assistant",
                A2aWire.sendRequest(1, "message/send", "hi", null, "ctx-7")).json();
        Exchange ex = only();
        assertThat(ex.protocol()).isEqualTo(Protocol.A2A);
        assertThat(ex.resource()).isEqualTo(new Resource.Agent("dev-team", "code-assistant"));
        assertThat(ex.action()).isEqualTo("message/send");
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.decision().policy()).as("no resource policy decided: the rule did").isEqualTo("anyone-to-dev-team");
        assertThat(ex.attributes())
                .containsEntry(A2aAttributes.METHOD, "message/send")
                .containsEntry(A2aAttributes.TASK_ID, answer.at("/result/id").asText())
                .containsEntry(A2aAttributes.CONTEXT_ID, "ctx-7")
                .containsEntry(A2aAttributes.TASK_STATE, "completed")
                .containsEntry(A2aAttributes.RULE, "anyone-to-dev-team");
        assertThat(reserved).containsExactly(new Resource.Agent("dev-team", "code-assistant"));
    }

    @Test
    void aStreamRecordsItsLastState() {
        client.stream("/dev-team/code-assistant", A2aWire.sendRequest(2, "message/stream", "hi", null, null));
        Exchange ex = only();
        assertThat(ex.attributes())
                .containsEntry(A2aAttributes.STREAM, true)
                .containsEntry(A2aAttributes.TASK_STATE, "completed")
                .containsKey(A2aAttributes.TASK_ID);
        assertThat(ex.error()).isNull();
    }

    @Test
    void aStreamCutShortRecordsTheError() {
        agent.always(new FakeA2aAgent.BreakMidStream(2));
        client.stream("/dev-team/code-assistant", A2aWire.sendRequest(3, "message/stream", "hi", null, null));
        Exchange ex = only();
        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.error().code()).isEqualTo("upstream_stream_broken");
        assertThat(ex.attributes()).containsEntry(A2aAttributes.TASK_STATE, "working");
    }

    @Test
    void aCallAboutATaskRecordsItFromTheRequest() {
        client.post("/dev-team/code-assistant", A2aWire.taskRequest(4, "tasks/get", "no-such-task"));
        Exchange ex = only();
        assertThat(ex.attributes())
                .containsEntry(A2aAttributes.TASK_ID, "no-such-task")
                .containsEntry(A2aAttributes.ERROR_CODE, -32001);
    }

    @Test
    void aCardFetchIsAGovernedExchangeToo() {
        client.get("/dev-team/code-assistant/.well-known/agent-card.json");
        Exchange ex = only();
        assertThat(ex.action()).isEqualTo("agent_card");
        assertThat(ex.resource().id()).isEqualTo("agent:dev-team/code-assistant");
        assertThat(reserved).hasSize(1);
    }

    @Test
    void aRefusedCallNeverReachesTheBudget() {
        assertThat(client.post("/dev-team/locked", A2aWire.sendRequest(5, "message/send", "hi", null, null)).status()).isEqualTo(403);
        Exchange ex = only();
        assertThat(ex.decision().allowed()).isFalse();
        assertThat(ex.decision().policy()).isEqualTo("locked-agent");
        assertThat(ex.attributes()).containsEntry(A2aAttributes.RULE, "anyone-to-dev-team");
        assertThat(reserved).isEmpty();
    }

    @Test
    void aResourcePolicyAllowIsNotEnoughWithoutARule() {
        A2aClient.Answer a = client.post("/team-b/elsewhere", A2aWire.sendRequest(8, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().at("/error/data/policy").asText()).isEqualTo("default");
        Exchange ex = only();
        assertThat(ex.decision().policy()).isEqualTo("default");
        assertThat(reserved).isEmpty();
    }

    @Test
    void aSpentBudgetIsA429JsonRpcError() {
        int before = agent.calls().size();
        A2aClient.Answer a = client.post("/dev-team/metered", A2aWire.sendRequest(6, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("retry-after")).isEqualTo("30");
        assertThat(a.json().get("id").asInt()).isEqualTo(6);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(agent.calls()).hasSize(before);
        assertThat(only().status()).isEqualTo(429);
    }
}
