package io.agentgateway.mcp;

import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open legacy SSE sessions ({@code GET /sse/SERVER}) on this replica, by the id in their
 * {@code /message?sessionId=} endpoint. A legacy session lives on its event stream, so it cannot
 * move to another replica. Thread-safe.
 */
final class LegacySessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> open = new ConcurrentHashMap<>();

    /**
     * One legacy client: its event stream (written on the stream's own context) and the MCP
     * session state, replaced when the client initialises.
     */
    static final class Session {
        final String id;
        final String server;
        final String principal;
        private final Context context;
        private final StreamRelay.Client client;
        private volatile McpSession state;

        Session(String id, String server, String principal, Context context, HttpServerResponse stream, McpSession state) {
            this.id = id;
            this.server = server;
            this.principal = principal;
            this.context = context;
            this.client = StreamRelay.client(stream);
            this.state = state;
        }

        McpSession state() {
            return state;
        }

        void state(McpSession s) {
            state = s;
        }

        /**
         * Writes a message to the client's event stream, from any thread; always through the
         * stream's loop's queue, so messages keep the order they were sent in.
         */
        void send(Message m) {
            context.runOnContext(v -> client.write(HttpSink.event(m)));
        }

        /**
         * The client's event stream as the client of a relay running on the calling loop, so a
         * client that reads slowly holds the server's stream back; null when called from another
         * loop than the stream's (a relay may pause and resume only what lives on its own loop).
         */
        StreamRelay.Client client() {
            return Vertx.currentContext() == context ? client : null;
        }
    }

    Session open(String server, String principal, HttpServerResponse stream, McpSession state) {
        byte[] raw = new byte[16];
        RANDOM.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        Session s = new Session(id, server, principal, Vertx.currentContext(), stream, state);
        open.put(id, s);
        return s;
    }

    Session get(String id) {
        return id == null ? null : open.get(id);
    }

    void close(String id) {
        open.remove(id);
    }
}
