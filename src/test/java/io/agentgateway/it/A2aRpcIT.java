package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A2A JSON-RPC calls through the gateway to an agent speaking the A2A 0.3 (and 1.0) wire format. */
class A2aRpcIT {
    static FakeA2aAgent agent;
    static TestGateway gateway;
    static A2aClient dev;

    @BeforeAll
    static void start() throws Exception {
        agent = FakeA2aAgent.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        gateway = TestGateway.start(TestGateway.A2A_LISTENER + """
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}
                a2a:
                  default_url: ""
                  agents:
                    - name: code-assistant
                      namespace: dev-team
                      url: %s
                      headers: {x-agent-token: "${AGENT_TOKEN}"}
                    - {name: offline, namespace: dev-team, url: "http://127.0.0.1:%d/"}
                """.formatted(agent.url(), closedPort),
                Map.of("DEV_KEY", "dev-secret", "AGENT_TOKEN", "agent-side-token"), Clock.systemUTC());
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
    void messageSendReturnsTheAgentsTask() {
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(1, "message/send", "review PR 42", null, null));
        assertThat(a.status()).isEqualTo(200);
        JsonNode result = a.json().get("result");
        assertThat(a.json().get("id").asInt()).isEqualTo(1);
        assertThat(result.get("kind").asText()).isEqualTo("task");
        assertThat(result.at("/status/state").asText()).isEqualTo("completed");
        assertThat(result.at("/artifacts/0/parts/0/text").asText()).isEqualTo("echo: review PR 42");
    }

    @Test
    void messageSendMayReturnAMessage() {
        JsonNode result = dev.post("/dev-team/code-assistant", A2aWire.sendRequest("m-1", "message/send", "reply:hello", null, "ctx-9"))
                .json().get("result");
        assertThat(result.get("kind").asText()).isEqualTo("message");
        assertThat(result.get("contextId").asText()).isEqualTo("ctx-9");
        assertThat(result.at("/parts/0/text").asText()).isEqualTo("echo: hello");
    }

    @Test
    void bodiesPassThroughByteForByte() {
        String request = "{ \"method\" : \"message/send\",\"jsonrpc\":\"2.0\",  \"id\":\"x-1\",\n \"params\":{\"message\":"
                + "{\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"gr\\u00fc\\u00dfe \u2603\"}],\"messageId\":\"m\",\"kind\":\"message\"}}}";
        String answer = "{\"jsonrpc\": \"2.0\" ,\"id\":\"x-1\", \"result\" : {\"kind\":\"message\",\"role\":\"agent\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"\\u2603 ok\"}],\"messageId\":\"r\"}}\n";
        agent.always(new FakeA2aAgent.Status(200, "application/json", answer));
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", request);
        assertThat(a.body()).isEqualTo(answer);
        assertThat(agent.lastCall().body().toString()).isEqualTo(request);
    }

    @Test
    void theAgentGetsItsOwnHeadersNeverTheCallersCredential() {
        dev.post("/dev-team/code-assistant", A2aWire.sendRequest(2, "message/send", "hi", null, null),
                "A2A-Extensions", "https://example.com/ext/citations/v1", "Cookie", "session=abc");
        FakeA2aAgent.Received r = agent.lastCall();
        assertThat(r.headers().get("authorization")).isNull();
        assertThat(r.headers().get("cookie")).isNull();
        assertThat(r.headers().get("x-agent-token")).isEqualTo("agent-side-token");
        assertThat(r.headers().get("a2a-extensions")).isEqualTo("https://example.com/ext/citations/v1");
        assertThat(r.headers().get("x-request-id")).isNotBlank();
        assertThat(r.path()).isEqualTo("/");
    }

    @Test
    void aTrailingSlashIsTheSameAgent() {
        A2aClient.Answer a = dev.post("/dev-team/code-assistant/", A2aWire.sendRequest(3, "message/send", "hi", null, null));
        assertThat(a.json().at("/result/status/state").asText()).isEqualTo("completed");
    }

    @Test
    void tasksGetFindsTheTaskAndAgentErrorsPassThrough() {
        String taskId = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(4, "message/send", "hi", null, null))
                .json().at("/result/id").asText();
        JsonNode got = dev.post("/dev-team/code-assistant", A2aWire.taskRequest(5, "tasks/get", taskId)).json();
        assertThat(got.at("/result/id").asText()).isEqualTo(taskId);
        A2aClient.Answer missing = dev.post("/dev-team/code-assistant", A2aWire.taskRequest(6, "tasks/get", "no-such-task"));
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.json().at("/error/code").asInt()).isEqualTo(-32001);
        A2aClient.Answer cancelDone = dev.post("/dev-team/code-assistant", A2aWire.taskRequest(7, "tasks/cancel", taskId));
        assertThat(cancelDone.json().at("/error/code").asInt()).isEqualTo(-32002);
    }

    @Test
    void pushNotificationConfigMethodsReachTheAgent() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tasks/pushNotificationConfig/set\",\"params\":{\"taskId\":\"t-1\","
                + "\"pushNotificationConfig\":{\"url\":\"https://client.example.com/hook\",\"token\":\"tok\"}}}";
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", body);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32003);
        assertThat(agent.lastCall().json().get("method").asText()).isEqualTo("tasks/pushNotificationConfig/set");
    }

    @Test
    void a2a10MethodNamesWithTheVersionHeader() {
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(9, "SendMessage", "hi", null, null),
                "A2A-Version", "1.0");
        assertThat(a.json().at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(agent.lastCall().headers().get("a2a-version")).isEqualTo("1.0");
        String taskId = a.json().at("/result/task/id").asText();
        JsonNode got = dev.post("/dev-team/code-assistant", A2aWire.taskRequest(10, "GetTask", taskId), "A2A-Version", "1.0").json();
        assertThat(got.at("/result/id").asText()).isEqualTo(taskId);
    }

    @Test
    void aBodyThatIsNotJsonIsAParseError() {
        int before = agent.calls().size();
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", "{\"jsonrpc\":\"2.0\", method: send}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(a.json().at("/error/message").asText()).contains("not valid JSON").contains("line 1");
        assertThat(a.json().get("id").isNull()).isTrue();
        assertThat(agent.calls()).hasSize(before);
    }

    @Test
    void aRequestWithoutMethodIsInvalid() {
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", "{\"jsonrpc\":\"2.0\",\"id\":11,\"params\":{}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(a.json().at("/error/message").asText()).contains("no \"method\"");
        assertThat(a.json().get("id").asInt()).isEqualTo(11);
    }

    @Test
    void aBatchIsRefused() {
        int before = agent.calls().size();
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", "[" + A2aWire.sendRequest(12, "message/send", "a", null, null)
                + "," + A2aWire.sendRequest(13, "message/send", "b", null, null) + "]");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(a.json().at("/error/message").asText()).contains("batch");
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("batch_not_supported");
        assertThat(agent.calls()).hasSize(before);
    }

    @Test
    void anUnknownAgentIsNotFound() {
        A2aClient.Answer a = dev.post("/dev-team/ghost", A2aWire.sendRequest(14, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("agent_not_found");
        assertThat(a.json().at("/error/message").asText()).contains("dev-team/ghost");
    }

    @Test
    void aPathThatIsNotAnAgentNameIsRefusedBeforeAnyUrlIsBuilt() {
        A2aClient.Answer a = dev.post("/dev-team/evil.com:80", A2aWire.sendRequest(15, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/error/message").asText()).contains("DNS-1123");
        assertThat(dev.post("/", "{}").status()).isEqualTo(404);
        assertThat(dev.get("/dev-team/code-assistant").status()).isEqualTo(405);
    }

    @Test
    void anAgentThatIsDownIsABadGateway() {
        A2aClient.Answer a = dev.post("/dev-team/offline", A2aWire.sendRequest(16, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().get("id").asInt()).isEqualTo(16);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("upstream_unreachable");
        assertThat(a.json().at("/error/message").asText()).contains("dev-team/offline");
    }

    @Test
    void anAgentErrorPageIsReportedNotRelayed() {
        agent.always(new FakeA2aAgent.Status(500, "text/html", "<html><body>Internal Server Error</body></html>"));
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(17, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("invalid_agent_response");
        assertThat(a.json().at("/error/message").asText()).contains("HTTP 500").contains("text/html");
    }

    @Test
    void anAgentsJsonRpcErrorWithAnHttpErrorStatusPassesThrough() {
        String error = "{\"jsonrpc\":\"2.0\",\"id\":18,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}";
        agent.always(new FakeA2aAgent.Status(500, "application/json", error));
        A2aClient.Answer a = dev.post("/dev-team/code-assistant", A2aWire.sendRequest(18, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(500);
        assertThat(a.body()).isEqualTo(error);
    }

    @Test
    void noCredentialIsUnauthorizedWithAJsonRpcBody() {
        A2aClient.Answer a = new A2aClient(gateway.url("a2a"), null)
                .post("/dev-team/code-assistant", A2aWire.sendRequest(19, "message/send", "hi", null, null));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("www-authenticate")).startsWith("Bearer");
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(a.json().at("/error/data/type").asText()).isEqualTo("invalid_credential");
    }
}
