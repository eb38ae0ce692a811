package io.agentgateway.mcp;

import io.agentgateway.core.ConstantTime;
import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seals {@link McpSession}s into {@code Mcp-Session-Id} values and opens them again: AES-256-GCM
 * with a random 96-bit nonce, so the id is confidential (upstream session ids stay hidden) and
 * authenticated (a changed byte, or an id sealed under another key, does not open). The AES key
 * is SHA-256 of the configured secret, read per call so a rotated secret takes effect at once
 * (sessions sealed under the old key then answer 404 and clients re-initialise).
 *
 * <p>A client sends its id with every message, so each thread remembers the ids it opened last
 * (a small table indexed by the id's hash, one entry a slot): an id seen before under the same key
 * is not decrypted and parsed again. Only ids that opened are remembered, the comparison with the
 * remembered one takes the same time wherever they differ, and the caller still checks expiry,
 * principal and route on every message.
 *
 * <p>Thread-safe.
 */
public final class SessionCodec {
    private static final String PREFIX = "v1.";
    private static final byte[] AAD = "agentgateway/mcp-session/v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretRef configured;
    private final byte[] fallback;
    private volatile Keyed keyed;

    private static final int OPENED_SLOTS = 256;

    private record Keyed(Secret secret, SecretKeySpec key) {
    }

    /** An id that opened under {@code key}, and its session. */
    private record Opened(String id, SecretKeySpec key, McpSession session) {
    }

    private final ThreadLocal<Opened[]> opened = ThreadLocal.withInitial(() -> new Opened[OPENED_SLOTS]);

    /**
     * @param configured the {@code mcp.session_key_secret}, or null to use {@code fallback}
     * @param fallback   a random key for this process (sessions then stay on this replica)
     */
    public SessionCodec(SecretRef configured, byte[] fallback) {
        this.configured = configured;
        this.fallback = fallback.clone();
    }

    /** A fresh random 256-bit key. */
    public static byte[] randomKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    public String seal(McpSession s) {
        ObjectNode json = Message.MAPPER.createObjectNode();
        json.put("p", s.principal());
        json.put("r", s.route());
        json.put("v", s.protocolVersion());
        json.put("t", s.issuedAt());
        json.put("e", s.expiresAt());
        json.put("i", s.idleSeconds());
        ObjectNode u = json.putObject("u");
        s.upstreams().forEach(u::put);
        byte[] plain = Message.write(json).getBytes();
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] sealed = c.doFinal(plain);
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal an MCP session id: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The session inside {@code id}, or null when it was not sealed by this key (tampered, foreign, never issued). */
    public McpSession open(String id) {
        if (id == null || !id.startsWith(PREFIX) || id.length() > 8192) {
            return null;
        }
        SecretKeySpec key = key();
        Opened[] table = opened.get();
        int slot = id.hashCode() & (OPENED_SLOTS - 1);
        Opened last = table[slot];
        if (last != null && last.key() == key && ConstantTime.equal(last.id(), id)) {
            return last.session();
        }
        McpSession session = decrypt(id, key);
        if (session != null) {
            table[slot] = new Opened(id, key, session);
        }
        return session;
    }

    private static McpSession decrypt(String id, SecretKeySpec key) {
        byte[] raw;
        String encoded = id.substring(PREFIX.length());
        try {
            raw = Base64.getUrlDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Only the canonical spelling opens: the last character's unused bits must not give one
        // session several ids.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(encoded)) {
            return null;
        }
        if (raw.length < NONCE + 16) {
            return null;
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, raw, 0, NONCE));
            c.updateAAD(AAD);
            plain = c.doFinal(raw, NONCE, raw.length - NONCE);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open an MCP session id: " + e.getClass().getSimpleName(), e);
        }
        try {
            JsonNode json = Jackson.MAPPER.readTree(plain);
            Map<String, String> upstreams = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.get("u").properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                upstreams.put(e.getKey(), e.getValue().asText());
            }
            return new McpSession(json.get("p").asText(), json.get("r").asText(), json.get("v").asText(),
                    upstreams, json.get("t").asLong(), json.get("e").asLong(), json.get("i").asLong());
        } catch (java.io.IOException | RuntimeException e) {
            // Authentic but unreadable: sealed by a gateway version that wrote another shape.
            return null;
        }
    }

    private SecretKeySpec key() {
        if (configured == null) {
            Keyed k = keyed;
            if (k == null) {
                k = new Keyed(null, new SecretKeySpec(sha256(fallback), "AES"));
                keyed = k;
            }
            return k.key();
        }
        Secret current = configured.current();
        if (current == null || current.isEmpty()) {
            throw new SessionKeyUnavailable("the MCP session key secret " + configured + " cannot be found");
        }
        Keyed k = keyed;
        if (k == null || !current.equals(k.secret())) {
            k = new Keyed(current, new SecretKeySpec(sha256(current.reveal().getBytes(StandardCharsets.UTF_8)), "AES"));
            keyed = k;
        }
        return k.key();
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configured key secret cannot be read: sessions can be neither issued nor continued (503). */
    public static final class SessionKeyUnavailable extends RuntimeException {
        SessionKeyUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
