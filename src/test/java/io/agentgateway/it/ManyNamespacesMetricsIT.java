package io.agentgateway.it;

import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config of 500 API keys in 500 namespaces: every namespace gets its own
 * {@code agentgateway_budget_remaining} series (the namespaces named by keys are known to the
 * metrics, not capped), and values past the label cap are counted, not silently lost.
 */
class ManyNamespacesMetricsIT {
    static final int KEYS = 500;
    static TestGateway gateway;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        StringBuilder keys = new StringBuilder();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < KEYS; i++) {
            String hash = HexFormat.of().formatHex(sha.digest(("key-" + i).getBytes(StandardCharsets.UTF_8)));
            keys.append("      - {name: k").append(i).append(", key_hash: \"sha256:").append(hash)
                    .append("\", namespace: team-").append(i).append("}\n");
        }
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: mock, type: mock}
                security:
                  authentication:
                    type: api_key
                    keys:
                %s
                rate_limiting:
                  - {name: per-team, limit: 1000, window: 24h, limit_by: requests}
                """.formatted(keys.toString().stripTrailing()), Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void budgetRemainingHasEveryNamespaceOfA500KeyConfig() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                    .header("authorization", "Bearer key-" + i).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
            if (calls.size() == 50) {
                for (var c : calls) {
                    assertThat(c.get().statusCode()).isEqualTo(200);
                }
                calls.clear();
            }
        }
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^agentgateway_budget_remaining\\{limit_by=\"requests\",namespace=\"(team-\\d+)\",rule=\"per-team\"} 999\\.0$")
                .matcher(metrics);
        List<String> namespaces = new ArrayList<>();
        while (m.find()) {
            namespaces.add(m.group(1));
        }
        assertThat(namespaces).hasSize(KEYS).doesNotHaveDuplicates();
        assertThat(metrics).doesNotContain("namespace=\"other\"");
        // every namespace was named by the config: nothing was dropped to "other"
        assertThat(metrics).contains("agentgateway_metric_label_values_dropped_total{label=\"namespace\"} 0.0");
    }
}
