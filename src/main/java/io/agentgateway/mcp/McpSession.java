package io.agentgateway.mcp;

import io.agentgateway.identity.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a downstream {@code Mcp-Session-Id} carries, sealed by {@link SessionCodec}: whom it was
 * issued to, for which endpoint, the negotiated protocol version, and the session id each
 * upstream server gave (empty when the upstream keeps no session). Any replica holding the key
 * can continue the session from this alone.
 *
 * @param principal   {@link #principalKey} of the caller it was issued to
 * @param route       the server name for {@code /mcp/SERVER}, {@code *} for {@code /mcp}
 * @param upstreams   server name to {@code VERSION|SESSION}: the protocol version that server
 *                    negotiated and its session id (empty: none), in fan-out order
 * @param issuedAt    epoch seconds, from the gateway's clock
 * @param expiresAt   epoch seconds after which the session is over whatever its use ({@code mcp.session_max_lifetime})
 * @param idleSeconds how long the session may go unused before it is over ({@code mcp.session_idle_timeout})
 */
public record McpSession(String principal, String route, String protocolVersion, Map<String, String> upstreams, long issuedAt,
                         long expiresAt, long idleSeconds) {
    public static final String FEDERATED = "*";

    public McpSession {
        upstreams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(upstreams));
    }

    /** Per event loop, the keys of the principals seen last: a caller sends its session with every message. */
    private static final int KEY_SLOTS = 64;

    private record KeyOf(Principal principal, String key) {
    }

    private static final ThreadLocal<KeyOf[]> KEYS = ThreadLocal.withInitial(() -> new KeyOf[KEY_SLOTS]);

    /**
     * A short, stable, non-reversible key for a principal: binds a session to the caller it was
     * issued to. Principals are immutable, so each thread keeps the keys of the instances it saw
     * last (authenticators hand out one instance per credential) rather than hash them per message.
     */
    public static String principalKey(Principal p) {
        KeyOf[] table = KEYS.get();
        int slot = System.identityHashCode(p) & (KEY_SLOTS - 1);
        KeyOf last = table[slot];
        if (last != null && last.principal() == p) {
            return last.key();
        }
        String key = digest(p);
        table[slot] = new KeyOf(p, key);
        return key;
    }

    private static String digest(Principal p) {
        String who = p.method() + "\u0000" + p.subject() + "\u0000" + p.namespace() + "\u0000" + p.serviceAccount();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(who.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value kept per upstream: the version it negotiated and its session id (null: none). */
    public static String upstream(String version, String sessionId) {
        return (version == null ? "" : version) + "|" + (sessionId == null ? "" : sessionId);
    }

    /** The upstream session id for a server, or null when it has none (or is not in this session). */
    public String upstreamSession(String server) {
        String v = upstreams.get(server);
        if (v == null) {
            return null;
        }
        String id = v.substring(v.indexOf('|') + 1);
        return id.isEmpty() ? null : id;
    }

    /** The protocol version a server negotiated, else the session's. */
    public String upstreamVersion(String server) {
        String v = upstreams.get(server);
        int bar = v == null ? -1 : v.indexOf('|');
        return bar <= 0 ? protocolVersion : v.substring(0, bar);
    }
}
