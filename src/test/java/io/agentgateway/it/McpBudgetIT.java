package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code limit_by: requests} budget over {@code mcp:*} counts tool calls one by one (not
 * sessions, lists or notifications) and refuses the call past the limit as JSON-RPC -32003;
 * with a jwt method configured, the protected resource metadata names its issuer.
 */
class McpBudgetIT {
    static McpHttpServer fs;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        gateway = TestGateway.start(TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                security:
                  authentication:
                    methods:
                      - {type: jwt, issuer: "https://idp.example.com", jwks_uri: "https://idp.example.com/jwks", audiences: [agentgateway]}
                      - type: api_key
                        keys: [{name: dev, key_secret: dev-key, namespace: dev-team}]
                rate_limiting:
                  - name: dev-tool-calls
                    match: {kubernetes: {namespace: dev-team}}
                    limit: 3
                    window: 24h
                    limit_by: requests
                    resources: ["mcp:*"]
                """.formatted(fs.url()), Map.of("DEV_KEY", "dev-secret-key"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        fs.close();
    }

    @Test
    void toolCallsPastTheBudgetAreRefusedAndListsAreNotCounted() {
        try (McpSyncClient c = McpClients.streamable(gateway.url("mcp"), "/mcp/fs", "dev-secret-key").build()) {
            c.initialize();
            for (int i = 0; i < 5; i++) {
                assertThat(c.listTools().tools()).isNotEmpty();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/" + i)).build()).isError()).isFalse();
            }
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/over")).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32003);
                        assertThat(String.valueOf(e.getJsonRpcError().data())).contains("429");
                    });
            assertThat(c.listTools().tools()).isNotEmpty();
        }
    }

    @Test
    void protectedResourceMetadataNamesTheJwtIssuer() {
        McpWire.Answer m = McpWire.send(HttpRequest.newBuilder(URI.create(gateway.url("mcp")
                + "/.well-known/oauth-protected-resource/mcp/fs")).GET(), null, null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.json().get("authorization_servers").get(0).asText()).isEqualTo("https://idp.example.com");
    }
}
