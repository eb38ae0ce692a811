package io.agentgateway.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.budget.Usage;
import io.agentgateway.identity.Principal;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;

/**
 * The audit event's JSON form (DESIGN.md §9) and its hash chain: {@code hash} is SHA-256 over the
 * event serialised without {@code hash} (including {@code prev_hash}), so editing or deleting a line
 * breaks the chain. {@link #verifyHash} recomputes it the same way for {@code audit verify}.
 */
public final class AuditEvents {
    /** The {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private AuditEvents() {
    }

    static ObjectNode toJson(AuditRecord r, String gateway, String eventId) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(r.timestamp()));
        e.put("event_id", eventId);
        e.put("request_id", r.requestId());
        e.put("trace_id", r.traceId());
        e.put("gateway", gateway);
        e.put("protocol", r.protocol());
        e.put("listener", r.listener());
        e.put("action", r.action());
        Principal p = r.principal();
        if (p == null) {
            e.putNull("principal");
        } else {
            ObjectNode pn = e.putObject("principal");
            pn.put("namespace", p.namespace());
            pn.put("service_account", p.serviceAccount());
            pn.put("subject", p.subject());
            pn.put("method", p.method());
        }
        e.put("resource", r.resource());
        e.put("decision", r.decision() == null ? null : r.decision().verdict());
        e.put("policy", r.decision() == null ? null : r.decision().policy());
        e.put("status", r.status());
        if (r.provider() == null) {
            e.putNull("upstream");
        } else {
            e.putObject("upstream").put("provider", r.provider()).put("model", r.model());
        }
        Usage u = r.usage();
        if (u == null) {
            e.putNull("usage");
        } else {
            ObjectNode un = e.putObject("usage");
            un.put("input_tokens", u.inputTokens());
            un.put("output_tokens", u.outputTokens());
            un.put("total_tokens", u.totalTokens());
            if (u.cachedInputTokens() > 0) {
                un.put("cached_input_tokens", u.cachedInputTokens());
            }
            if (u.estimated()) {
                un.put("estimated", true);
            }
        }
        e.put("duration_ms", Math.round(r.durationMillis() * 10) / 10.0);
        e.put("source_ip", r.sourceIp());
        e.put("error", r.error());
        if (!r.attributes().isEmpty()) {
            ObjectNode attrs = e.putObject("attributes");
            for (Map.Entry<String, Object> a : r.attributes().entrySet()) {
                attrs.set(a.getKey(), MAPPER.valueToTree(a.getValue()));
            }
        }
        return e;
    }

    /** A finished audit line and its hash (the next event's {@code prev_hash}). */
    record Sealed(String line, String hash) {
    }

    /** Adds {@code prev_hash} and {@code hash} to an event and returns its line. */
    static Sealed seal(ObjectNode event, String prevHash) {
        event.put("prev_hash", prevHash);
        String hash = hash(event);
        event.put("hash", hash);
        return new Sealed(write(event), hash);
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

    private static String write(ObjectNode event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
