package io.agentgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.FakeA2aAgent;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Grafana dashboard queries what a gateway really exposes: a gateway that served chat
 * completions (plain and streamed), a policy denial and a budget rejection to the real openai-java
 * client, an MCP tool call from the MCP Java SDK client and an A2A call to an agent, is scraped,
 * and every series the dashboard selects must be there with every label the dashboard filters or
 * groups by.
 */
class DashboardMetricsIT {
    private static final Path DASHBOARD = Path.of("deploy/grafana/agentgateway-dashboard.json");
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})?\\s*\\[");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern INSTANT = Pattern.compile("\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*})\\s*\\)");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ");
    static FakeOpenAi upstream;
    static FakeA2aAgent agent;
    static McpHttpServer filesystem;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        agent = FakeA2aAgent.start();
        filesystem = McpHttpServer.streamable("filesystem-server");
        gateway = TestGateway.start("""
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
                  - {name: mcp, address: 127.0.0.1, port: 0, protocol: MCP}
                admin: {address: 127.0.0.1, port: 0}
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %1$s}
                mcp:
                  servers:
                    - {name: filesystem-server, transport: streamable_http, url: "%3$s"}
                a2a:
                  default_url: ""
                  agents:
                    - {name: reviewer, namespace: dev-team, url: "%2$s"}
                  authorization:
                    - {name: dev-team-agents, source: {namespace: dev-team}, target: {namespace: dev-team}, action: allow}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: dev, key_secret: dev-key, namespace: dev-team, service_account: code-assistant}
                authorization:
                  policies:
                    - {name: dev-team-policy, match: {kubernetes: {namespace: dev-team}}, resources: ["model:*", "agent:dev-team/*", "mcp:filesystem-server/*"], action: allow}
                    - {name: no-previews, resources: ["model:*-preview"], action: deny}
                rate_limiting:
                  - {name: dev-team-requests, match: {kubernetes: {namespace: dev-team}}, limit: 3, window: 1h, limit_by: requests, resources: ["model:*"]}
                """.formatted(upstream.baseUrl(), agent.url(), filesystem.url()), Map.of("DEV_KEY", "sk-dev"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
        agent.close();
        filesystem.close();
    }

    @Test
    void everySeriesOnTheDashboardIsServedWithItsLabels() throws Exception {
        OpenAIClient client = gateway.openAi("sk-dev");
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("gpt-4").addUserMessage("Review this diff").build();
        assertThat(client.chat().completions().create(ask).choices()).isNotEmpty();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask)) {
            assertThat(stream.stream().count()).isPositive();
        }
        assertThatThrownBy(() -> client.chat().completions().create(ask.toBuilder().model("gpt-5-preview").build()))
                .isInstanceOf(PermissionDeniedException.class);
        client.chat().completions().create(ask);
        assertThatThrownBy(() -> client.chat().completions().create(ask)).isInstanceOf(RateLimitException.class);
        A2aClient.Answer a2a = new A2aClient(gateway.url("a2a"), "sk-dev")
                .post("/dev-team/reviewer", A2aWire.sendRequest(1, "message/send", "review this", null, null));
        assertThat(a2a.status()).isEqualTo(200);
        try (McpSyncClient mcp = McpClients.streamable(gateway.url("mcp"), "/mcp/filesystem-server", "sk-dev").build()) {
            mcp.initialize();
            assertThat(mcp.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/README.md")).build()).isError()).isNotEqualTo(Boolean.TRUE);
        }

        Map<String, Set<String>> served = scrape();
        // The label values the dashboard filters on, as the gateway writes them.
        assertThat(metricsText()).contains("method=\"tools/call\"").contains("decision=\"deny\"").contains("status=\"429\"");
        List<String> problems = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        for (String expr : expressions()) {
            Set<String> grouped = new LinkedHashSet<>();
            Matcher by = BY.matcher(expr);
            while (by.find()) {
                for (String l : by.group(1).split(",")) {
                    grouped.add(l.trim());
                }
            }
            for (Map.Entry<String, Set<String>> sel : selectors(expr).entrySet()) {
                String metric = sel.getKey();
                checked.add(metric);
                Set<String> labels = served.get(metric);
                if (labels == null) {
                    problems.add(metric + " is not served (" + expr + ")");
                    continue;
                }
                Set<String> used = new LinkedHashSet<>(sel.getValue());
                used.addAll(grouped);
                used.removeIf(l -> l.equals("le") && metric.endsWith("_bucket"));
                used.stream().filter(l -> !labels.contains(l)).forEach(l -> problems.add(metric + " has no label " + l + " (" + expr + ")"));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).contains("agentgateway_requests_total", "agentgateway_request_duration_seconds_bucket",
                "agentgateway_tokens_total", "gen_ai_client_token_usage_sum", "gen_ai_server_time_to_first_token_seconds_bucket",
                "agentgateway_authz_decisions_total", "agentgateway_ratelimit_rejections_total", "agentgateway_budget_remaining",
                "agentgateway_a2a_requests_total", "agentgateway_mcp_requests_total");
    }

    private static String metricsText() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Metric name -> label names of every sample on the admin port's /metrics. */
    private static Map<String, Set<String>> scrape() throws Exception {
        String text = metricsText();
        Map<String, Set<String>> out = new HashMap<>();
        Matcher s = SAMPLE.matcher(text);
        while (s.find()) {
            Set<String> labels = out.computeIfAbsent(s.group(1), k -> new LinkedHashSet<>());
            if (s.group(2) != null) {
                Matcher l = MATCHER.matcher(s.group(2));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
        return out;
    }

    private static List<String> expressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        List<String> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The series an expression selects (range selectors, and instant ones written as f(metric{...})), with their matcher labels. */
    private static Map<String, Set<String>> selectors(String expr) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Pattern p : List.of(SELECTOR, INSTANT)) {
            Matcher m = p.matcher(expr);
            while (m.find()) {
                Set<String> labels = out.computeIfAbsent(m.group(1), k -> new LinkedHashSet<>());
                if (m.group(2) != null) {
                    Matcher l = MATCHER.matcher(m.group(2));
                    while (l.find()) {
                        labels.add(l.group(1));
                    }
                }
            }
        }
        return out;
    }
}
