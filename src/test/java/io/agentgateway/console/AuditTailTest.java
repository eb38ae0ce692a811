package io.agentgateway.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.observe.AuditLog;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit tail's view of the hash chain: recent events that re-hash and link are intact; an
 * edited event, or one whose {@code prev_hash} skips a deleted event, is named. Events are sealed
 * here as the audit log seals them (SHA-256 over the event without {@code hash}).
 */
class AuditTailTest {
    static final ObjectMapper json = new ObjectMapper();
    final AuditLog log = new AuditLog("gw-0", OutputStream.nullOutputStream());
    final AuditTail tail = new AuditTail(log, Clock.systemUTC());

    @AfterEach
    void close() {
        log.close();
    }

    static String seal(String id, String prevHash, String namespace, String decision) throws Exception {
        ObjectNode e = json.createObjectNode().put("event_id", id).put("decision", decision).put("policy", "p1");
        e.putObject("principal").put("namespace", namespace);
        e.put("prev_hash", prevHash);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(e)));
        return e.put("hash", hash).toString();
    }

    static String hashOf(String line) throws Exception {
        return json.readTree(line).path("hash").asText();
    }

    @Test
    void linkedEventsAreIntactAndRefusalsAreCountedByPolicy() throws Exception {
        String a = seal("a", "0".repeat(64), "dev", "allow");
        String b = seal("b", hashOf(a), "dev", "deny");
        tail.accept(List.of(a, b));
        JsonObject state = tail.chainState();
        assertThat(state.getInteger("checked")).isEqualTo(2);
        assertThat(state.getString("broken_at")).isNull();
        assertThat(tail.policyRefusals()).isEqualTo(Map.of("dev", Map.of("p1", 1L)));
    }

    @Test
    void anEditedEventIsNamed() throws Exception {
        String a = seal("a", "0".repeat(64), "dev", "allow");
        String b = seal("b", hashOf(a), "dev", "deny").replace("\"deny\"", "\"allow\"");
        tail.accept(List.of(a, b));
        JsonObject state = tail.chainState();
        assertThat(state.getBoolean("intact")).isFalse();
        assertThat(state.getString("broken_at")).isEqualTo("b");
        assertThat(state.getString("problem")).contains("hash does not match");
    }

    @Test
    void aDeletedEventBreaksTheLink() throws Exception {
        String a = seal("a", "0".repeat(64), "dev", "allow");
        String b = seal("b", hashOf(a), "dev", "allow");
        String c = seal("c", hashOf(b), "dev", "allow");
        tail.accept(List.of(a, c));
        JsonObject state = tail.chainState();
        assertThat(state.getBoolean("intact")).isFalse();
        assertThat(state.getString("broken_at")).isEqualTo("c");
        assertThat(state.getString("problem")).contains("prev_hash");
    }
}
