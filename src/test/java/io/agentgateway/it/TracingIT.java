package io.agentgateway.it;

import com.google.protobuf.ByteString;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.FakeOtlpCollector;
import io.agentgateway.testing.TestGateway;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenTelemetry spans exported over OTLP (HTTP and gRPC), continuing W3C and B3 traces and propagating both upstream. */
class TracingIT {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    FakeOpenAi upstream;
    FakeOtlpCollector collector;
    TestGateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    void start(String protocol) {
        upstream = FakeOpenAi.start();
        collector = new FakeOtlpCollector();
        gateway = TestGateway.start(TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}]
                observability:
                  tracing:
                    enabled: true
                    exporter: otlp
                    endpoint: 127.0.0.1:%d
                    protocol: %s
                    propagation: [w3c, b3]
                """.formatted(collector.port(), protocol), Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
        collector.close();
    }

    HttpResponse<String> chat(String headerName, String headerValue) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("authorization", "Bearer k").header("content-type", "application/json").header(headerName, headerValue)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overHttpTheServerSpanContinuesTheCallersW3cTraceAndBothFormatsGoUpstream() throws Exception {
        start("http/protobuf");
        assertThat(chat("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01").statusCode()).isEqualTo(200);
        assertThat(upstream.last().headers().get("traceparent")).startsWith("00-" + TRACE + "-");
        assertThat(upstream.last().headers().get("b3")).startsWith(TRACE + "-");

        Span server = awaitSpan(Span.SpanKind.SPAN_KIND_SERVER);
        Span client = awaitSpan(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(hex(server.getTraceId())).isEqualTo(TRACE);
        assertThat(hex(server.getParentSpanId())).isEqualTo(CALLER_SPAN);
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(server.getName()).isEqualTo("chat gpt-4o");
        assertThat(attr(server, "gen_ai.operation.name")).contains("chat");
        assertThat(attr(server, "gen_ai.request.model")).contains("gpt-4o");
        assertThat(attr(server, "gen_ai.provider.name")).contains("openai");
        assertThat(attr(server, "gen_ai.usage.input_tokens")).contains("19");
        assertThat(attr(server, "gen_ai.usage.output_tokens")).contains("10");
        assertThat(attr(server, "k8s.namespace.name")).contains("dev-team");
        assertThat(collector.paths()).contains("/v1/traces");
        // the upstream saw the client span's id as its parent
        assertThat(upstream.last().headers().get("traceparent")).contains(hex(client.getSpanId()));
    }

    @Test
    void overGrpcAB3CallerIsContinued() throws Exception {
        start("grpc");
        assertThat(chat("b3", TRACE + "-" + CALLER_SPAN + "-1").statusCode()).isEqualTo(200);
        Span server = awaitSpan(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(server.getTraceId())).isEqualTo(TRACE);
        assertThat(hex(server.getParentSpanId())).isEqualTo(CALLER_SPAN);
        assertThat(collector.paths()).anyMatch(p -> p.endsWith("TraceService/Export"));
    }

    Span awaitSpan(Span.SpanKind kind) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Span> s = collector.spans().stream().filter(x -> x.getKind() == kind).findFirst();
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + kind + " span exported within 30s; got " + collector.spans().size());
    }

    static String hex(ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    static Optional<String> attr(Span s, String key) {
        return s.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).findFirst().map(TracingIT::value);
    }

    static String value(KeyValue kv) {
        var v = kv.getValue();
        return v.hasStringValue() ? v.getStringValue() : v.hasIntValue() ? Long.toString(v.getIntValue()) : v.toString();
    }
}
