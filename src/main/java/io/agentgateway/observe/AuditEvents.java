package io.agentgateway.observe;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit event's hash chain: {@code hash} is SHA-256 over the event serialised
 * without {@code hash} (including {@code prev_hash}), so editing or deleting a line breaks the
 * chain. Events are written by {@link AuditEventWriter}; {@link #verifyHash} recomputes the hash
 * from a parsed line for {@code audit verify}.
 */
public final class AuditEvents {
    /** The {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper MAPPER = Jackson.MAPPER;

    private AuditEvents() {
    }

    /** The hash a line should carry: SHA-256 over the event without its {@code hash} field. */
    static String hash(ObjectNode eventWithoutHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(eventWithoutHash));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses an audit line; throws when it is not a JSON object. */
    public static ObjectNode parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("not a JSON object");
    }

    /** True when the event's {@code hash} is the hash of the rest of it. */
    public static boolean verifyHash(ObjectNode event) {
        JsonNode claimed = event.get("hash");
        if (claimed == null || !claimed.isTextual()) {
            return false;
        }
        ObjectNode rest = event.deepCopy();
        rest.remove("hash");
        return MessageDigest.isEqual(claimed.asText().getBytes(), hash(rest).getBytes());
    }
}
