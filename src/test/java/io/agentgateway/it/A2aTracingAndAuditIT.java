package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.FakeOtlpCollector;
import io.agentgateway.testing.TestGateway;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A2A calls as spans (A2A attributes, trace context passed to the agent) and as audit events. */
class A2aTracingAndAuditIT {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    static FakeA2aAgent agent;
    static FakeOtlpCollector collector;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        agent = FakeA2aAgent.start();
        collector = new FakeOtlpCollector();
        gateway = TestGateway.start("""
                listeners: [{name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}]
                admin: {address: 127.0.0.1, port: 0}
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}]
                a2a:
                  agents: [{name: reviewer, namespace: dev-team, url: "%s"}]
                observability:
                  tracing: {enabled: true, exporter: otlp, endpoint: "127.0.0.1:%d", protocol: http/protobuf, propagation: [w3c, b3]}
                  logging:
                    enabled: true
                    format: json
                    output: [{type: file, path: audit.jsonl}]
                """.formatted(agent.url(), collector.port()), Map.of("DEV_KEY", "dev-secret"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        agent.close();
        collector.close();
    }

    @Test
    void aStreamedCallIsOneSpanAndOneAuditEventWithItsTaskAndFinalState() {
        A2aClient.Events events = new A2aClient(gateway.url("a2a"), "dev-secret").stream("/dev-team/reviewer",
                A2aWire.sendRequest("s-1", "message/stream", "trace me", null, "ctx-traced"),
                "traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01");
        String taskId = events.last().at("/result/taskId").asText();
        assertThat(agent.lastCall().headers().get("traceparent")).startsWith("00-" + TRACE + "-");
        assertThat(agent.lastCall().headers().get("b3")).startsWith(TRACE + "-");

        Span server = awaitSpan(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(server.getName()).isEqualTo("message/stream");
        assertThat(attr(server, "a2a.method.name")).contains("message/stream");
        assertThat(attr(server, "a2a.task.id")).contains(taskId);
        assertThat(attr(server, "a2a.context.id")).contains("ctx-traced");
        assertThat(attr(server, "a2a.task.state")).contains("completed");
        assertThat(attr(server, "agentgateway.resource")).contains("agent:dev-team/reviewer");
        assertThat(attr(server, "k8s.namespace.name")).contains("dev-team");
        assertThat(collector.spans()).anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT);

        Path audit = gateway.dir().resolve("audit.jsonl");
        Await.until("the audit event is written", () -> auditEvents(audit).stream()
                .anyMatch(e -> e.path("attributes").path("a2a.task.id").asText().equals(taskId)));
        JsonNode event = auditEvents(audit).stream()
                .filter(e -> e.path("attributes").path("a2a.task.id").asText().equals(taskId)).findFirst().orElseThrow();
        assertThat(event.get("protocol").asText()).isEqualTo("a2a");
        assertThat(event.get("action").asText()).isEqualTo("message/stream");
        assertThat(event.get("resource").asText()).isEqualTo("agent:dev-team/reviewer");
        assertThat(event.get("decision").asText()).isEqualTo("allow");
        assertThat(event.at("/principal/namespace").asText()).isEqualTo("dev-team");
        assertThat(event.at("/attributes/a2a.task.state").asText()).isEqualTo("completed");
        assertThat(event.get("trace_id").asText()).isEqualTo(TRACE);
    }

    static List<JsonNode> auditEvents(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
                try {
                    return A2aWire.JSON.readTree(l);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Span awaitSpan(Span.SpanKind kind) {
        Span[] found = {null};
        Await.until("a " + kind + " span is exported", () -> {
            Optional<Span> s = collector.spans().stream().filter(x -> x.getKind() == kind).findFirst();
            s.ifPresent(x -> found[0] = x);
            return s.isPresent();
        });
        return found[0];
    }

    static Optional<String> attr(Span s, String key) {
        return s.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst()
                .map(kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : kv.getValue().toString());
    }
}
