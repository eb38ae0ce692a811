package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.cli.Main;
import io.agentgateway.testing.FakeElasticsearch;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One hash-chained audit event per request (refusals too), to a file and to an Elasticsearch cluster that comes and goes. */
class AuditIT {
    static final ObjectMapper JSON = new ObjectMapper();
    FakeOpenAi upstream;
    FakeElasticsearch elastic;
    TestGateway gateway;

    String config() {
        return TestGateway.llmConfig(upstream.baseUrl()) + """
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}]
                authorization:
                  policies:
                    - {name: dev-policy, match: {kubernetes: {namespace: dev-team}}, resources: ["model:gpt-4"], action: allow}
                observability:
                  logging:
                    enabled: true
                    format: json
                    output:
                      - {type: file, path: audit/audit.jsonl, flush_interval: 100ms}
                      - type: elasticsearch
                        endpoint: %s
                        index: agentgateway-audit
                        api_key_secret: es-audit-key
                        spool_dir: spool
                        batch_size: 5
                        flush_interval: 100ms
                """.formatted(elastic.endpoint());
    }

    @BeforeEach
    void start() {
        upstream = FakeOpenAi.start();
        elastic = new FakeElasticsearch();
        gateway = TestGateway.start(config(), Map.of("DEV_KEY", "dev-secret", "ES_AUDIT_KEY", "es-secret-value"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
        elastic.close();
    }

    OpenAIClient client(String key) {
        return gateway.openAi(key);
    }

    void chat(String key, String model) {
        client(key).chat().completions().create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build());
    }

    Path auditFile() {
        return gateway.dir().resolve("audit/audit.jsonl");
    }

    List<JsonNode> fileEvents() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(auditFile())) {
            for (String line : Files.readAllLines(auditFile())) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    @Test
    void everyRequestIncludingRefusalsIsAuditedWithTheDesignedFields() throws Exception {
        chat("dev-secret", "gpt-4");
        assertThatThrownBy(() -> chat("dev-secret", "gpt-4o")).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> chat("nope", "gpt-4")).isInstanceOf(UnauthorizedException.class);
        await(() -> fileEvents().size() == 3);
        List<JsonNode> events = fileEvents();

        JsonNode ok = events.get(0);
        assertThat(ok.fieldNames()).toIterable().containsSubsequence("timestamp", "event_id", "request_id", "trace_id", "gateway",
                "protocol", "listener", "action", "principal", "resource", "decision", "policy", "status", "upstream", "usage",
                "duration_ms", "source_ip", "error", "prev_hash", "hash");
        assertThat(ok.path("protocol").asText()).isEqualTo("llm");
        assertThat(ok.path("action").asText()).isEqualTo("chat.completions");
        assertThat(ok.path("principal").path("namespace").asText()).isEqualTo("dev-team");
        assertThat(ok.path("principal").path("subject").asText()).isEqualTo("system:serviceaccount:dev-team:code-assistant");
        assertThat(ok.path("principal").path("method").asText()).isEqualTo("api_key");
        assertThat(ok.path("resource").asText()).isEqualTo("model:gpt-4");
        assertThat(ok.path("decision").asText()).isEqualTo("allow");
        assertThat(ok.path("policy").asText()).isEqualTo("dev-policy");
        assertThat(ok.path("status").asInt()).isEqualTo(200);
        assertThat(ok.path("upstream").path("provider").asText()).isEqualTo("openai");
        assertThat(ok.path("usage").path("total_tokens").asInt()).isEqualTo(29);
        assertThat(ok.path("source_ip").asText()).isEqualTo("127.0.0.1");

        JsonNode denied = events.get(1);
        assertThat(denied.path("decision").asText()).isEqualTo("deny");
        assertThat(denied.path("policy").asText()).isEqualTo("default");
        assertThat(denied.path("status").asInt()).isEqualTo(403);
        assertThat(denied.path("error").asText()).contains("model:gpt-4o");

        JsonNode unauthenticated = events.get(2);
        assertThat(unauthenticated.path("status").asInt()).isEqualTo(401);
        assertThat(unauthenticated.path("principal").isNull()).isTrue();

        assertThat(events.get(1).path("prev_hash").asText()).isEqualTo(events.get(0).path("hash").asText());
        assertThat(Files.readString(auditFile())).doesNotContain("dev-secret").doesNotContain("es-secret-value");
        assertThat(Main.execute("audit", "verify", auditFile().toString())).isZero();
    }

    @Test
    void payloadsStayOutUnlessAskedForAndThenTheChainStillVerifies() throws Exception {
        chat("dev-secret", "gpt-4");
        await(() -> fileEvents().size() == 1);
        assertThat(fileEvents().get(0).has("payload")).isFalse();
        assertThat(Files.readString(auditFile())).doesNotContain("\"hi\"");

        gateway.reload(config().replace("    format: json", "    format: json\n    include_payloads: true"));
        chat("dev-secret", "gpt-4");
        await(() -> fileEvents().size() == 2);
        JsonNode payload = fileEvents().get(1).path("payload");
        assertThat(payload.path("request").path("messages").get(0).path("content").asText()).isEqualTo("hi");
        assertThat(payload.path("response").path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("Hello! How can I assist you today?");
        assertThat(Main.execute("audit", "verify", auditFile().toString())).isZero();
    }

    @Test
    void verifyFindsAnEditedAndADeletedLine() throws Exception {
        for (int i = 0; i < 4; i++) {
            chat("dev-secret", "gpt-4");
        }
        await(() -> fileEvents().size() == 4);
        List<String> lines = Files.readAllLines(auditFile());
        Path edited = gateway.dir().resolve("edited.jsonl");
        Files.write(edited, List.of(lines.get(0), lines.get(1).replace("\"status\":200", "\"status\":500"), lines.get(2), lines.get(3)));
        assertThat(Main.execute("audit", "verify", edited.toString())).isEqualTo(1);
        Path deleted = gateway.dir().resolve("deleted.jsonl");
        Files.write(deleted, List.of(lines.get(0), lines.get(1), lines.get(3)));
        assertThat(Main.execute("audit", "verify", deleted.toString())).isEqualTo(1);
    }

    @Test
    void elasticsearchGetsEveryEventOnceInOrderEvenAcrossAnOutage() throws Exception {
        chat("dev-secret", "gpt-4");
        await(() -> elastic.documents().size() == 1);
        assertThat(elastic.lastAuthorization()).isEqualTo("ApiKey es-secret-value");

        elastic.available(false);
        for (int i = 0; i < 7; i++) {
            chat("dev-secret", "gpt-4");
        }
        await(() -> fileEvents().size() == 8);
        await(() -> Files.list(gateway.dir().resolve("spool")).anyMatch(p -> p.getFileName().toString().startsWith("spool-")));
        assertThat(elastic.documents()).hasSize(1);

        elastic.available(true);
        await(() -> elastic.documents().size() == 8);
        List<String> fileIds = fileEvents().stream().map(e -> e.path("event_id").asText()).toList();
        List<String> clusterIds = elastic.documents().stream().map(e -> e.path("event_id").asText()).toList();
        assertThat(clusterIds).isEqualTo(fileIds);
        await(() -> Files.list(gateway.dir().resolve("spool")).noneMatch(p -> p.getFileName().toString().startsWith("spool-")));
    }

    @Test
    void aRestartContinuesTheChainInTheFile() throws Exception {
        chat("dev-secret", "gpt-4");
        await(() -> fileEvents().size() == 1);
        Path dir = gateway.dir();
        gateway.close();
        Files.copy(dir.resolve("audit/audit.jsonl"), dir.resolve("before.jsonl"));
        gateway = TestGateway.start(config().replace("path: audit/audit.jsonl", "path: " + dir.resolve("audit/audit.jsonl")),
                Map.of("DEV_KEY", "dev-secret", "ES_AUDIT_KEY", "x"), Clock.systemUTC());
        chat("dev-secret", "gpt-4");
        Path file = dir.resolve("audit/audit.jsonl");
        await(() -> Files.readAllLines(file).size() == 2);
        List<String> lines = Files.readAllLines(file);
        assertThat(JSON.readTree(lines.get(1)).path("prev_hash").asText()).isEqualTo(JSON.readTree(lines.get(0)).path("hash").asText());
        assertThat(Main.execute("audit", "verify", file.toString())).isZero();
    }

    static void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition within 20s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
