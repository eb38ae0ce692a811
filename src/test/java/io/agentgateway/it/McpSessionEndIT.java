package io.agentgateway.it;

import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.RedisServer;
import io.agentgateway.testing.StdioMcpServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session ended on one replica is refused on every replica sharing the store
 * ({@code rate_limit_store: redis}), even for a server whose state nothing upstream would end
 * (a stdio server per namespace runs on each replica). A replica without the shared store is the
 * control: there the ended session still works.
 */
class McpSessionEndIT {
    static final String KEY = "00112233445566778899aabbccddeeff";
    static RedisServer redis;
    static TestGateway one;
    static TestGateway two;
    static TestGateway alone;

    static String config(String store) {
        return TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: local, transport: stdio, isolation: namespace, command: %s, timeout: 90s}
                  session_key_secret: mcp-session-key
                security:
                  authentication:
                    type: api_key
                    keys: [{name: dev, key_secret: dev-key, namespace: dev-team}]
                %s
                """.formatted(StdioMcpServer.yamlCommand("local"), store);
    }

    @BeforeAll
    static void start() {
        redis = RedisServer.start("mcp-redis-pass");
        String shared = """
                rate_limit_store:
                  type: redis
                  url: %s
                  password_secret: redis-auth
                  key_prefix: "mcp-ends:"
                """.formatted(redis.url());
        Map<String, String> env = Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", KEY, "REDIS_AUTH", "mcp-redis-pass");
        one = TestGateway.start(config(shared), env, Clock.systemUTC());
        two = TestGateway.start(config(shared), env, Clock.systemUTC());
        alone = TestGateway.start(config(""), env, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        alone.close();
        two.close();
        one.close();
        redis.close();
    }

    static McpWire.Answer call(TestGateway gw, String session) {
        return McpWire.post(gw.url("mcp") + "/mcp/local", "k", session, McpWire.callTool(7, "read_file", "{\"path\":\"/p\"}"));
    }

    @Test
    void aSessionEndedOnOneReplicaIsRefusedOnAnother() {
        String session = McpWire.open(one.url("mcp") + "/mcp/local", "k");
        assertThat(call(two, session).status()).isEqualTo(200);
        assertThat(call(alone, session).status()).isEqualTo(200);

        McpWire.Answer ended = McpWire.send(HttpRequest.newBuilder(URI.create(one.url("mcp") + "/mcp/local")).DELETE(), "k", session);
        assertThat(ended.status()).isEqualTo(204);

        assertThat(call(one, session).status()).isEqualTo(404);
        McpWire.Answer elsewhere = call(two, session);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("session_not_found");
        // the key in the store names a hash of the session, never the session id
        assertThat(redis.command(io.vertx.redis.client.Command.KEYS, "mcp-ends:mcp:ended:*").size()).isEqualTo(1);
        assertThat(redis.command(io.vertx.redis.client.Command.KEYS, "*" + session.substring(3, 20) + "*").size()).isZero();
        // the control: a replica that does not share the store cannot know
        assertThat(call(alone, session).status()).isEqualTo(200);
    }
}
