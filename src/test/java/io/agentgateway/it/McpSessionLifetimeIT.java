package io.agentgateway.it;

import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions have a lifetime: one unused for longer than {@code mcp.session_idle_timeout} is over,
 * and so is one older than {@code mcp.session_max_lifetime} however busy; both limits travel
 * sealed in the session id, so a replica that never saw the session applies them too.
 */
class McpSessionLifetimeIT {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static McpHttpServer fs;
    static ManualClock clock = ManualClock.at("2026-03-01T10:00:00Z");
    static TestGateway gateway;
    static TestGateway replica;

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        String yaml = TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                  session_key_secret: mcp-session-key
                  session_idle_timeout: 10m
                  session_max_lifetime: 1h
                """.formatted(fs.url()) + TestGateway.DEV_KEY;
        gateway = TestGateway.start(yaml, Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", KEY), clock);
        replica = TestGateway.start(yaml, Map.of("DEV_KEY", "k", "MCP_SESSION_KEY", KEY), clock);
    }

    @AfterAll
    static void stop() {
        replica.close();
        gateway.close();
        fs.close();
    }

    static int call(TestGateway gw, String session) {
        McpWire.Answer a = McpWire.post(gw.url("mcp") + "/mcp/fs", "k", session, McpWire.callTool(2, "read_file", "{\"path\":\"/x\"}"));
        return a.status();
    }

    @Test
    void aSessionIdleLongerThanTheLimitIsOver() {
        String session = McpWire.open(gateway.url("mcp") + "/mcp/fs", "k");
        clock.advance(Duration.ofMinutes(9));
        assertThat(call(gateway, session)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(11));
        McpWire.Answer gone = McpWire.post(gateway.url("mcp") + "/mcp/fs", "k", session, McpWire.callTool(3, "read_file", "{}"));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).contains("expired");
        // used again later, it stays over
        assertThat(call(gateway, session)).isEqualTo(404);
    }

    @Test
    void aBusySessionEndsAtItsMaximumLifetimeOnEveryReplica() {
        String session = McpWire.open(gateway.url("mcp") + "/mcp/fs", "k");
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(9));
            assertThat(call(gateway, session)).as("after %d minutes", 9 * (i + 1)).isEqualTo(200);
        }
        // 54 minutes in: the replica that never saw it still serves it
        assertThat(call(replica, session)).isEqualTo(200);
        clock.advance(Duration.ofMinutes(7));
        assertThat(call(gateway, session)).isEqualTo(404);
        assertThat(call(replica, session)).isEqualTo(404);
    }
}
