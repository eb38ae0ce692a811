package io.agentgateway.mcp;

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
        private final HttpServerResponse stream;
        private volatile McpSession state;

        Session(String id, String server, String principal, Context context, HttpServerResponse stream, McpSession state) {
            this.id = id;
            this.server = server;
            this.principal = principal;
            this.context = context;
            this.stream = stream;
            this.state = state;
        }

        McpSession state() {
            return state;
        }

        void state(McpSession s) {
            state = s;
        }

        /** Writes a message to the client's event stream, from any thread. */
        void send(Message m) {
            context.runOnContext(v -> {
                if (!stream.ended() && !stream.closed()) {
                    stream.write(HttpSink.event(m));
                }
            });
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
