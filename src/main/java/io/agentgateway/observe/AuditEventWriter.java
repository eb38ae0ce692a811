package io.agentgateway.observe;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.core.Usage;
import io.agentgateway.identity.Principal;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serialises audit events straight to bytes (no JSON tree) and seals them into the hash chain:
 * the event is written with its {@code prev_hash}, hashed, and the {@code hash} field appended.
 * The bytes hashed are exactly what Jackson writes for the event without {@code hash}, so
 * {@link AuditEvents#verifyHash} can recompute them from a parsed line.
 *
 * <p>Not thread-safe: owned by the audit writer thread, which reuses its buffer and digest.
 */
final class AuditEventWriter {
    /** The gateway's one factory (its mapper's), so generators can write trees (payloads). */
    private static final JsonFactory JSON = Jackson.FACTORY;
    private static final HexFormat HEX = HexFormat.of();

    private static final byte[] HASH_FIELD = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}".getBytes(StandardCharsets.US_ASCII);

    private final Bytes buffer = new Bytes();
    private final MessageDigest sha256;
    private final String gateway;

    AuditEventWriter(String gateway) {
        this.gateway = gateway;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the event sealed into the chain after {@code prevHash} as the next line of {@code out}.
     *
     * @return its hash (the next event's {@code prev_hash})
     */
    String write(AuditRecord r, String prevHash, AuditLines out) {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("timestamp", DateTimeFormatter.ISO_INSTANT.format(r.timestamp()));
            g.writeStringField("event_id", eventId());
            g.writeStringField("request_id", r.requestId());
            g.writeStringField("trace_id", r.traceId());
            g.writeStringField("gateway", gateway);
            g.writeStringField("protocol", r.protocol());
            g.writeStringField("listener", r.listener());
            g.writeStringField("action", r.action());
            principal(g, r.principal());
            g.writeStringField("resource", r.resource());
            g.writeStringField("decision", r.decision() == null ? null : r.decision().verdict());
            g.writeStringField("policy", r.decision() == null ? null : r.decision().policy());
            g.writeNumberField("status", r.status());
            if (r.provider() == null) {
                g.writeNullField("upstream");
            } else {
                g.writeObjectFieldStart("upstream");
                g.writeStringField("provider", r.provider());
                g.writeStringField("model", r.model());
                g.writeEndObject();
            }
            usage(g, r.usage());
            g.writeNumberField("duration_ms", Math.round(r.durationMillis() * 10) / 10.0);
            g.writeStringField("source_ip", r.sourceIp());
            g.writeStringField("error", r.error());
            attributes(g, r.attributes());
            payload(g, r.requestPayload(), r.responsePayload());
            g.writeStringField("prev_hash", prevHash);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The line is the hashed bytes with the closing brace replaced by the hash field: sealed
        // in the buffer itself, then copied once into the batch the outputs write as bytes.
        sha256.update(buffer.array(), 0, buffer.size());
        String hash = HEX.formatHex(sha256.digest());
        buffer.truncate(buffer.size() - 1);
        buffer.writeBytes(HASH_FIELD);
        buffer.writeBytes(hash.getBytes(StandardCharsets.US_ASCII));
        buffer.writeBytes(END);
        out.add(buffer.array(), buffer.size());
        return hash;
    }

    /** A byte buffer whose array is read in place (hashed) and whose end can be cut back. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(1024);
        }

        byte[] array() {
            return buf;
        }

        void truncate(int size) {
            count = size;
        }
    }

    private static void principal(JsonGenerator g, Principal p) throws IOException {
        if (p == null) {
            g.writeNullField("principal");
            return;
        }
        g.writeObjectFieldStart("principal");
        g.writeStringField("namespace", p.namespace());
        g.writeStringField("service_account", p.serviceAccount());
        g.writeStringField("subject", p.subject());
        g.writeStringField("method", p.method());
        g.writeEndObject();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        if (u == null) {
            g.writeNullField("usage");
            return;
        }
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        if (u.cachedInputTokens() > 0) {
            g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
        }
        if (u.estimated()) {
            g.writeBooleanField("estimated", true);
        }
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, Map<String, Object> attributes) throws IOException {
        if (attributes.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("attributes");
        // In the order the exchange recorded them; forEach walks them without an entry per attribute.
        attributes.forEach((name, v) -> {
            try {
                g.writeFieldName(name);
                switch (v) {
                    case null -> g.writeNull();
                    case Boolean b -> g.writeBoolean(b);
                    case Integer i -> g.writeNumber(i);
                    case Long l -> g.writeNumber(l);
                    case Double d -> g.writeNumber(d);
                    default -> g.writeString(v.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        g.writeEndObject();
    }

    /**
     * Bodies kept for {@code include_payloads}, written as JSON values (parsed and written again,
     * so the hash can be recomputed from the line), or as text when a body is not JSON.
     */
    private static void payload(JsonGenerator g, Buffer request, Buffer response) throws IOException {
        if (request == null && response == null) {
            return;
        }
        g.writeObjectFieldStart("payload");
        body(g, "request", request);
        body(g, "response", response);
        g.writeEndObject();
    }

    private static void body(JsonGenerator g, String field, Buffer bytes) throws IOException {
        if (bytes == null) {
            return;
        }
        g.writeFieldName(field);
        try {
            g.writeTree(Jackson.MAPPER.readTree(bytes.getBytes()));
        } catch (IOException e) {
            g.writeString(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /** A random (version 4) UUID; event ids need to be unique, not unpredictable, so no SecureRandom. */
    private static String eventId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(msb, lsb).toString();
    }
}
