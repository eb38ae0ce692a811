package io.agentgateway.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event ids of {@code /mcp}'s merged server stream: each names, for every server of the
 * session that numbers its events, the last event of that server's stream the client has been
 * given, so a client that reconnects with {@code Last-Event-ID} resumes each server's stream from
 * its own position. Opaque to clients: {@value #PREFIX} then base64url of
 * {@code SERVER=EVENT_ID} lines (server names hold no {@code =}, SSE event ids no line break).
 * Stateless.
 */
final class StreamPositions {
    static final String PREFIX = "gw1.";
    /** Longest {@code Last-Event-ID} taken from a client; a longer one resumes nothing. */
    static final int MAX_LENGTH = 4096;

    private StreamPositions() {
    }

    static String encode(Map<String, String> positions) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : positions.entrySet()) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The positions an id names; empty when it is not one of ours (the client resumes nothing). */
    static Map<String, String> decode(String id) {
        Map<String, String> out = new LinkedHashMap<>();
        if (id == null || !id.startsWith(PREFIX) || id.length() > MAX_LENGTH) {
            return out;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(id.substring(PREFIX.length())), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return out;
        }
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && eq < line.length() - 1) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** Whether a client's {@code Last-Event-ID} may go upstream as it is: bounded, printable, one line. */
    static boolean acceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
