package io.agentgateway.it;

import io.agentgateway.testing.Await;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading an MCP or A2A event stream holds the upstream back: the gateway
 * pauses its read of the upstream's stream instead of buffering the upstream's answer for the
 * client, so the upstream's own writes stall, and the stream resumes whole once the client reads
 * again. Real sockets on both sides: an upstream that writes a large SSE stream as fast as its
 * socket takes it, and a client socket with a small receive buffer that reads nothing for a while.
 */
@Timeout(120)
class SlowReaderBackpressureIT {
    /** Far more than every socket buffer and write queue between the two ends can hold. */
    static final long STREAM_BYTES = 160L * 1024 * 1024;
    static final int EVENT_TEXT = 64 * 1024;

    static Vertx vertx;
    static FloodingUpstream mcpServer;
    static FloodingUpstream agent;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        mcpServer = new FloodingUpstream(vertx, FloodingUpstream.Kind.MCP);
        agent = new FloodingUpstream(vertx, FloodingUpstream.Kind.A2A);
        gateway = TestGateway.start("""
                listeners:
                  - {name: mcp, address: 127.0.0.1, port: 0, protocol: MCP}
                  - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
                admin: {address: 127.0.0.1, port: 0}
                mcp:
                  servers:
                    - {name: flood, transport: streamable_http, url: "http://127.0.0.1:%d/mcp", timeout: 120s}
                a2a:
                  stream_timeout: 120s
                  agents: [{name: flood, namespace: dev-team, url: "http://127.0.0.1:%d/"}]
                """.formatted(mcpServer.port(), agent.port()) + TestGateway.DEV_KEY, Map.of("DEV_KEY", "k"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aSlowMcpReaderHoldsItsServerBack() throws Exception {
        String url = gateway.url("mcp") + "/mcp/flood";
        String session = McpWire.open(url, "k");
        String body = McpWire.callTool(7, "flood", "{}");
        try (Socket client = slowClient(gateway.port("mcp"))) {
            send(client, "POST /mcp/flood HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port("mcp") + "\r\nAuthorization: Bearer k\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Mcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: 2025-06-18\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
            assertHeldBackThenFinished(mcpServer, client, "\"id\":7,\"result\"");
        }
    }

    @Test
    void aSlowA2aReaderHoldsItsAgentBack() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"message/stream\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"messageId\":\"m-1\",\"parts\":[{\"kind\":\"text\",\"text\":\"flood me\"}]}}}";
        try (Socket client = slowClient(gateway.port("a2a"))) {
            send(client, "POST /dev-team/flood HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer k\r\n"
                    + "Content-Type: application/json\r\nAccept: text/event-stream\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
            assertHeldBackThenFinished(agent, client, "\"state\":\"completed\"");
        }
    }

    /**
     * While the client reads nothing the upstream comes to a stop well short of its stream (its
     * socket is full: the gateway stopped reading it) and stays stopped; once the client reads,
     * the whole stream arrives, its last event included.
     */
    private static void assertHeldBackThenFinished(FloodingUpstream upstream, Socket client, String lastEvent) throws Exception {
        Await.until("the upstream started streaming", () -> upstream.written() > 0);
        long stalledAt = awaitStall(upstream);
        assertThat(stalledAt).as("held back well before the end of its stream").isLessThan(STREAM_BYTES / 2);

        long read = readToEnd(client.getInputStream(), lastEvent);
        assertThat(upstream.written()).as("the upstream wrote its whole stream once the client read").isEqualTo(upstream.total());
        assertThat(read).as("the client got (about) everything the upstream sent").isGreaterThan(STREAM_BYTES);
    }

    /**
     * Waits until the upstream waits for its write queue to drain and has written nothing more for
     * a second; fails if that never happens while its stream lasts (nothing held it back).
     */
    private static long awaitStall(FloodingUpstream upstream) throws InterruptedException {
        long last = -1;
        int quiet = 0;
        while (upstream.written() < upstream.total() || upstream.total() == 0) {
            Thread.sleep(250);
            long now = upstream.written();
            quiet = upstream.stalled() && now == last ? quiet + 1 : 0;
            if (quiet == 4) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the upstream wrote its whole stream (" + upstream.total()
                + " bytes) while the client read nothing: nothing held it back");
    }

    /** A client whose socket takes little before the gateway's writes back up. */
    private static Socket slowClient(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(8 * 1024);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(60_000);
        return s;
    }

    private static void send(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads the response until {@code marker} has been seen; returns the bytes read. */
    private static long readToEnd(InputStream in, String marker) throws IOException {
        byte[] want = marker.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[256 * 1024];
        byte[] tail = new byte[0];
        long total = 0;
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("the stream ended after " + total + " bytes without " + marker);
            }
            total += n;
            byte[] window = new byte[tail.length + n];
            System.arraycopy(tail, 0, window, 0, tail.length);
            System.arraycopy(buf, 0, window, tail.length, n);
            if (indexOf(window, want) >= 0) {
                return total;
            }
            int keep = Math.min(window.length, want.length);
            tail = java.util.Arrays.copyOfRange(window, window.length - keep, window.length);
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * An upstream that answers a streamed call with {@link #STREAM_BYTES} of events, writing as
     * fast as its socket takes them: on a full write queue it waits for the drain, which is how a
     * held-back upstream shows (it is "stalled" while waiting). MCP: a Streamable HTTP server
     * whose {@code tools/call} sends log notifications before its result. A2A: an agent whose
     * {@code message/stream} sends working status updates before the completed one.
     */
    static final class FloodingUpstream {
        enum Kind { MCP, A2A }

        private final Kind kind;
        private final HttpServer server;
        private final AtomicLong written = new AtomicLong();
        private final AtomicBoolean waiting = new AtomicBoolean();
        private final Buffer event;
        private volatile long total;

        FloodingUpstream(Vertx vertx, Kind kind) throws Exception {
            this.kind = kind;
            String text = "x".repeat(EVENT_TEXT);
            String json = kind == Kind.MCP
                    ? "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"" + text + "\"}}"
                    : "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"kind\":\"status-update\",\"taskId\":\"t-1\",\"contextId\":\"c-1\","
                    + "\"status\":{\"state\":\"working\",\"message\":{\"role\":\"agent\",\"messageId\":\"w\",\"parts\":[{\"kind\":\"text\","
                    + "\"text\":\"" + text + "\"}]}},\"final\":false}}";
            this.event = Buffer.buffer("data: " + json + "\n\n");
            this.server = vertx.createHttpServer(new HttpServerOptions().setSendBufferSize(64 * 1024))
                    .requestHandler(this::handle)
                    .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        }

        int port() {
            return server.actualPort();
        }

        long written() {
            return written.get();
        }

        long total() {
            return total;
        }

        /** Waiting for its write queue to drain. */
        boolean stalled() {
            return waiting.get();
        }

        private void handle(HttpServerRequest request) {
            request.body().onSuccess(body -> {
                String b = body.toString();
                HttpServerResponse r = request.response();
                if (kind == Kind.MCP && b.contains("\"initialize\"")) {
                    r.putHeader("content-type", "application/json").putHeader("Mcp-Session-Id", "s-1")
                            .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-06-18\","
                                    + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"flood\",\"version\":\"1\"}}}");
                } else if (kind == Kind.MCP && !b.contains("\"tools/call\"")) {
                    r.setStatusCode(202).end();
                } else {
                    r.setChunked(true).putHeader("content-type", "text/event-stream");
                    String last = kind == Kind.MCP
                            ? "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"done\"}]}}"
                            : "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{\"kind\":\"status-update\",\"taskId\":\"t-1\",\"contextId\":\"c-1\","
                            + "\"status\":{\"state\":\"completed\"},\"final\":true}}";
                    Buffer end = Buffer.buffer("data: " + last + "\n\n");
                    long events = STREAM_BYTES / event.length() + 1;
                    total = events * event.length() + end.length();
                    flood(r, events, end);
                }
            });
        }

        /** Writes until the queue is full, then waits for the drain: never more in flight than the socket takes. */
        private void flood(HttpServerResponse r, long left, Buffer end) {
            waiting.set(false);
            long n = left;
            while (n > 0 && !r.writeQueueFull()) {
                r.write(event);
                written.addAndGet(event.length());
                n--;
            }
            if (n == 0) {
                r.end(end);
                written.addAndGet(end.length());
                return;
            }
            long rest = n;
            waiting.set(true);
            r.drainHandler(v -> flood(r, rest, end));
        }
    }
}
