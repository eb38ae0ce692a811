package io.agentgateway.it;

import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS-rebinding protection on the MCP listener: a foreign {@code Host} or {@code Origin} is
 * refused with 403 before anything else (even before authentication); loopback names and the
 * listener's own origin pass; {@code mcp.allowed_hosts} and {@code mcp.allowed_origins} widen
 * what passes. Requests are written on a raw socket, since HTTP clients will not forge {@code Host}.
 */
class McpOriginIT {
    static McpHttpServer fs;
    static TestGateway loopback;
    static TestGateway configured;

    @BeforeAll
    static void start() {
        fs = McpHttpServer.streamable("fs");
        loopback = TestGateway.start(config(""), Map.of("DEV_KEY", "k"), Clock.systemUTC());
        configured = TestGateway.start(config("""
                  allowed_hosts: [gateway.example.com, "*.svc.cluster.local", "127.0.0.1"]
                  allowed_origins: ["https://console.example.com"]
                """), Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    static String config(String extra) {
        return TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: fs, transport: streamable_http, url: "%s"}
                %s
                """.formatted(fs.url(), extra) + TestGateway.DEV_KEY;
    }

    @AfterAll
    static void stop() {
        configured.close();
        loopback.close();
        fs.close();
    }

    @Test
    void aRebindingHostIsRefusedBeforeAuthentication() throws IOException {
        String answer = raw(loopback, "evil.example.com", "http://evil.example.com", null);
        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(answer).contains("Host evil.example.com is not allowed on this MCP listener");
        assertThat(answer).contains("\"code\":\"host_not_allowed\"");
    }

    @Test
    void loopbackNamesAndTheListenersOwnOriginPass() throws IOException {
        int port = URI.create(loopback.url("mcp")).getPort();
        for (String host : new String[]{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost"}) {
            assertThat(raw(loopback, host, "http://" + host, "k")).as(host).startsWith("HTTP/1.1 200");
        }
        // no Origin at all: every non-browser client
        assertThat(raw(loopback, "127.0.0.1:" + port, null, "k")).startsWith("HTTP/1.1 200");
        // a stranger without a credential still meets authentication, not the origin check
        assertThat(raw(loopback, "127.0.0.1:" + port, null, null)).startsWith("HTTP/1.1 401");
    }

    @Test
    void aForeignOriginIsRefusedEvenWithALoopbackHost() throws IOException {
        int port = URI.create(loopback.url("mcp")).getPort();
        String answer = raw(loopback, "127.0.0.1:" + port, "http://evil.example.com", "k");
        assertThat(answer).startsWith("HTTP/1.1 403");
        assertThat(answer).contains("Origin http://evil.example.com is not allowed");
        // same host, another port: another origin
        assertThat(raw(loopback, "127.0.0.1:" + port, "http://127.0.0.1:1", "k")).startsWith("HTTP/1.1 403");
    }

    @Test
    void configuredHostsAndOriginsReplaceTheDefaults() throws IOException {
        assertThat(raw(configured, "gateway.example.com", null, "k")).startsWith("HTTP/1.1 200");
        assertThat(raw(configured, "agentgateway.ai-platform.svc.cluster.local:8081", null, "k")).startsWith("HTTP/1.1 200");
        assertThat(raw(configured, "gateway.example.com", "https://console.example.com", "k")).startsWith("HTTP/1.1 200");
        // localhost is no longer in the list
        assertThat(raw(configured, "localhost", null, "k")).startsWith("HTTP/1.1 403");
        assertThat(raw(configured, "gateway.example.com", "https://other.example.com", "k")).startsWith("HTTP/1.1 403");
    }

    /** POSTs initialize to /mcp/fs with the given Host and Origin on a fresh connection; the whole answer. */
    static String raw(TestGateway gw, String host, String origin, String key) throws IOException {
        URI u = URI.create(gw.url("mcp"));
        byte[] body = McpWire.initialize(1).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST /mcp/fs HTTP/1.1\r\nHost: " + host + "\r\n")
                .append("Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n")
                .append("Connection: close\r\nContent-Length: ").append(body.length).append("\r\n");
        if (origin != null) {
            head.append("Origin: ").append(origin).append("\r\n");
        }
        if (key != null) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        head.append("\r\n");
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
