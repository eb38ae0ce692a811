package io.agentgateway.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bodies and header blocks get a 4xx in each listener's own error format, naming the
 * position and the limit, on every listener (LLM, MCP, A2A, admin); none reaches a 500.
 */
class InputLimitsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static McpHttpServer fs;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        gateway = TestGateway.start("""
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                  - {name: mcp, address: 127.0.0.1, port: 0, protocol: MCP, max_header_count: 20}
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
                admin: {address: 127.0.0.1, port: 0}
                llm:
                  providers:
                    - {name: mock, type: mock}
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                a2a:
                  agents:
                    - {name: code-assistant, namespace: dev-team, url: "http://127.0.0.1:9/"}
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team, service_account: bot}]
                """.formatted(fs.url()), Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        fs.close();
    }

    private static String deep(int levels) {
        return "[".repeat(levels) + "]".repeat(levels);
    }

    private static final String CHAT = "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],";
    private static final String MCP = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"read\",\"arguments\":";
    private static final String A2A = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"x\":";

    @Test
    void aBodyNested100000DeepIs400OnEveryListener() throws Exception {
        JsonNode llm = post(gateway.url("llm") + "/v1/chat/completions", CHAT + "\"x\":" + deep(100_000) + "}", 400);
        assertThat(llm.at("/error/message").asText())
                .contains("line 1, column").contains("nesting depth (501) exceeds the maximum allowed (500)");
        assertThat(llm.at("/error/type").asText()).isEqualTo("invalid_request_error");

        JsonNode mcp = post(gateway.url("mcp") + "/mcp/fs", MCP + deep(100_000) + "}}", 400);
        assertThat(mcp.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(mcp.at("/error/message").asText()).contains("line 1, column").contains("maximum allowed (500)");

        JsonNode a2a = post(gateway.url("a2a") + "/dev-team/code-assistant", A2A + deep(100_000) + "}}", 400);
        assertThat(a2a.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(a2a.at("/error/message").asText()).contains("line 1, column").contains("maximum allowed (500)");
    }

    @Test
    void aNumberOf100000DigitsIs400OnEveryListener() throws Exception {
        String digits = "1" + "0".repeat(100_000);
        JsonNode llm = post(gateway.url("llm") + "/v1/chat/completions", CHAT + "\"max_tokens\":" + digits + "}", 400);
        assertThat(llm.at("/error/message").asText())
                .contains("line 1, column").contains("Number value length").contains("maximum allowed (1000)");
        post(gateway.url("llm") + "/v1/chat/completions", CHAT + "\"temperature\":0." + digits + "}", 400);

        JsonNode mcp = post(gateway.url("mcp") + "/mcp/fs", MCP + digits + "}}", 400);
        assertThat(mcp.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(mcp.at("/error/message").asText()).contains("maximum allowed (1000)");

        JsonNode a2a = post(gateway.url("a2a") + "/dev-team/code-assistant", A2A + digits + "}}", 400);
        assertThat(a2a.at("/error/message").asText()).contains("maximum allowed (1000)");
    }

    @Test
    void aBodyThatIsNotUtf8Is400() throws Exception {
        // Four bytes read as UTF-32 '{', then a code point past U+10FFFF: what the fuzzer found first.
        byte[] utf32ish = {0, 0, 0, '{', 0x70, 0x66, 0x22, 0};
        HttpResponse<String> r = HTTP.send(request(gateway.url("llm") + "/v1/chat/completions")
                .POST(HttpRequest.BodyPublishers.ofByteArray(utf32ish)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("send UTF-8");
    }

    @Test
    void tooManyHeaderFieldsIs431WithTheLimit() throws Exception {
        HttpRequest.Builder b = request(gateway.url("mcp") + "/mcp/fs");
        for (int i = 0; i < 30; i++) {
            b.header("x-extra-" + i, "v");
        }
        HttpResponse<String> r = HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(MCP + "{}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.body()).contains("accepts at most 20 (max_header_count)");

        HttpRequest.Builder admin = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/healthz"));
        for (int i = 0; i < 120; i++) {
            admin.header("x-extra-" + i, "v");
        }
        HttpResponse<String> a = HTTP.send(admin.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(a.statusCode()).isEqualTo(431);
        assertThat(a.body()).contains("at most 100");
    }

    @Test
    void aHeaderBlockOverMaxHeaderSizeIs431OnEveryListener() throws Exception {
        String big = "v".repeat(20 * 1024);
        for (String url : new String[]{gateway.url("llm") + "/v1/models", gateway.url("mcp") + "/mcp/fs",
                gateway.url("a2a") + "/dev-team/code-assistant", gateway.adminUrl() + "/healthz"}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("x-big", big).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(431);
            assertThat(r.version()).as(url).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
        // and the listener goes on serving
        HttpResponse<String> ok = HTTP.send(request(gateway.url("llm") + "/v1/models").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer k")
                .header("content-type", "application/json").header("accept", "application/json, text/event-stream");
    }

    private static JsonNode post(String url, String body, int status) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(url).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
