package io.agentgateway.mcp;

import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The protected resource metadata names the jwt methods' issuers as authorization servers. */
class ProtectedResourceIssuersTest {
    @Test
    void authorizationServersAreTheJwtIssuers() throws Exception {
        GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                listeners: [{name: mcp, port: 0, protocol: MCP}]
                admin: {port: 0}
                security:
                  authentication:
                    methods:
                      - {type: jwt, issuer: "https://idp.example.com", jwks_uri: "https://idp.example.com/jwks"}
                      - {type: api_key, keys: [{name: a, key_hash: "sha256:%s", namespace: ns}]}
                      - {type: jwt, issuer: "https://login.example.org/tenant", jwks_uri: "https://login.example.org/keys"}
                """.formatted("0".repeat(64)), null);
        Vertx vertx = Vertx.vertx();
        try (McpUpstreams upstreams = new McpUpstreams(vertx, Clock.systemUTC(), k -> null)) {
            McpRuntime mcp = McpRuntime.compile(config, null, null, null, upstreams, null, Clock.systemUTC());
            assertThat(mcp.issuers()).containsExactly("https://idp.example.com", "https://login.example.org/tenant");
        } finally {
            vertx.close();
        }
    }
}
