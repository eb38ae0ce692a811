package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code message/stream} and {@code tasks/resubscribe} relayed event by event, and how streams end. */
@Timeout(60)
class A2aStreamIT {
    static FakeA2aAgent agent;
    static TestGateway gateway;
    static A2aClient dev;

    @BeforeAll
    static void start() {
        agent = FakeA2aAgent.start();
        // The listener closes connections idle for 1s; streams must survive longer silences than that.
        gateway = TestGateway.start("""
                listeners:
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A, idle_timeout: 1s}
                admin: {address: 127.0.0.1, port: 0}
                """ + TestGateway.DEV_KEY + """
                a2a:
                  agents: [{name: code-assistant, namespace: dev-team, url: "%s"}]
                """.formatted(agent.url()), Map.of("DEV_KEY", "dev-secret"), Clock.systemUTC());
        dev = new A2aClient(gateway.url("a2a"), "dev-secret");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
    }

    @BeforeEach
    void serve() {
        agent.always(new FakeA2aAgent.Serve());
    }

    @Test
    void eventsArriveInOrderUntilTheFinalOne() {
        A2aClient.Events events = dev.stream("/dev-team/code-assistant",
                A2aWire.sendRequest(1, "message/stream", "write the docs", null, "ctx-1"));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<JsonNode> json = events.json();
        assertThat(json).extracting(e -> e.at("/result/kind").asText())
                .containsExactly("task", "status-update", "artifact-update", "artifact-update", "status-update");
        assertThat(json).allSatisfy(e -> assertThat(e.get("id").asInt()).isEqualTo(1));
        assertThat(json.get(3).at("/result/artifact/parts/0/text").asText()).isEqualTo("write the docs");
        JsonNode last = events.last().get("result");
        assertThat(last.get("final").asBoolean()).isTrue();
        assertThat(last.at("/status/state").asText()).isEqualTo("completed");
        assertThat(last.get("contextId").asText()).isEqualTo("ctx-1");
    }

    @Test
    void a2a10StreamsWithTheVersionHeader() {
        A2aClient.Events events = dev.stream("/dev-team/code-assistant",
                A2aWire.sendRequest(2, "SendStreamingMessage", "hi", null, null), "A2A-Version", "1.0");
        List<JsonNode> json = events.json();
        assertThat(json).hasSize(5);
        assertThat(json.get(0).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_SUBMITTED");
        assertThat(events.last().at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
    }

    @Test
    void cancelEndsTheTasksStreamsWithTheCanceledState() {
        Set<String> before = agent.workingTasks();
        CompletableFuture<A2aClient.Events> first = CompletableFuture.supplyAsync(() -> dev.stream(
                "/dev-team/code-assistant", A2aWire.sendRequest(3, "message/stream", "wait", null, null)));
        Await.until("the agent holds the new task open", () -> !difference(agent.workingTasks(), before).isEmpty());
        String taskId = difference(agent.workingTasks(), before).iterator().next();
        CompletableFuture<A2aClient.Events> second = CompletableFuture.supplyAsync(() -> dev.stream(
                "/dev-team/code-assistant", A2aWire.taskRequest(4, "tasks/resubscribe", taskId)));
        Await.until("the resubscription reached the agent",
                () -> agent.calls().stream().anyMatch(r -> r.json().path("method").asText().equals("tasks/resubscribe")));

        A2aClient.Answer cancel = dev.post("/dev-team/code-assistant", A2aWire.taskRequest(5, "tasks/cancel", taskId));
        assertThat(cancel.json().at("/result/status/state").asText()).isEqualTo("canceled");
        for (A2aClient.Events events : List.of(first.join(), second.join())) {
            JsonNode last = events.last().get("result");
            assertThat(last.get("taskId").asText()).isEqualTo(taskId);
            assertThat(last.at("/status/state").asText()).isEqualTo("canceled");
            assertThat(last.get("final").asBoolean()).isTrue();
        }
    }

    @Test
    void aCallerThatGoesAwayStopsTheAgentsStream() throws Exception {
        int before = agent.closedStreams();
        String body = A2aWire.sendRequest(6, "message/stream", "wait", null, null).toString();
        try (Socket socket = new Socket("127.0.0.1", gateway.port("a2a"))) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /dev-team/code-assistant HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer dev-secret\r\n"
                    + "Content-Type: application/json\r\nAccept: text/event-stream\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                // the response head, then the first event
            }
            assertThat(line).contains("\"kind\":\"task\"");
        }
        Await.until("the agent saw its stream closed", () -> agent.closedStreams() > before);
    }

    @Test
    void anAgentThatBreaksOffMidStreamEndsTheStreamWithAnErrorEvent() {
        agent.always(new FakeA2aAgent.BreakMidStream(2));
        A2aClient.Events events = dev.stream("/dev-team/code-assistant", A2aWire.sendRequest(7, "message/stream", "hi", null, null));
        List<JsonNode> json = events.json();
        assertThat(json).hasSize(3);
        assertThat(json.get(1).at("/result/kind").asText()).isEqualTo("status-update");
        JsonNode error = events.last();
        assertThat(error.get("id").asInt()).isEqualTo(7);
        assertThat(error.at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(error.at("/error/data/type").asText()).isEqualTo("upstream_stream_broken");
    }

    @Test
    void anAgentThatEndsBeforeTheFinalStateEndsTheStreamWithAnErrorEvent() {
        agent.always(new FakeA2aAgent.EndEarly(3));
        A2aClient.Events events = dev.stream("/dev-team/code-assistant", A2aWire.sendRequest(8, "message/stream", "hi", null, null));
        assertThat(events.json()).hasSize(4);
        assertThat(events.last().at("/error/data/type").asText()).isEqualTo("upstream_stream_incomplete");
        assertThat(events.last().at("/error/message").asText()).contains("before the task reached a final state");
    }

    @Test
    void anAgentThatAnswersTheStreamWith500IsABadGateway() {
        agent.always(new FakeA2aAgent.Status(500, "text/plain", "upstream exploded"));
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(9, "message/stream", "hi", null, null));
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().get("id").asInt()).isEqualTo(9);
        assertThat(a.json().at("/error/message").asText()).contains("HTTP 500");
    }

    @Test
    void silencesLongerThanTheListenersIdleTimeoutDoNotCutTheStream() {
        agent.always(new FakeA2aAgent.SlowStream(1_400));
        // A fresh client: a pooled connection may just have been closed by the 1s idle timeout.
        A2aClient.Events events = new A2aClient(gateway.url("a2a"), "dev-secret").stream("/dev-team/code-assistant", A2aWire.sendRequest(10, "message/stream", "hi", null, null));
        assertThat(events.json()).hasSize(5);
        assertThat(events.last().at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(events.comments()).isPositive();
    }

    @Test
    void anAgentSilentForTheStreamTimeoutEndsTheStreamWithAnErrorEvent() throws Exception {
        try (TestGateway strict = TestGateway.start("""
                listeners: [{name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}]
                admin: {address: 127.0.0.1, port: 0}
                a2a:
                  stream_timeout: 1s
                  agents: [{name: code-assistant, namespace: dev-team, url: "%s"}]
                """.formatted(agent.url()))) {
            agent.always(new FakeA2aAgent.Serve());
            A2aClient.Events events = new A2aClient(strict.url("a2a"), null).stream("/dev-team/code-assistant",
                    A2aWire.sendRequest(11, "message/stream", "wait", null, null));
            assertThat(events.json()).hasSize(3);
            assertThat(events.last().at("/error/data/type").asText()).isEqualTo("upstream_timeout");
            assertThat(events.last().at("/error/message").asText()).contains("1s");
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }
}
