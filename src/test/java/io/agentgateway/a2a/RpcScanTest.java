package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.testing.JsonEdits;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming read of a call ({@link RpcScan}) against the tree read it stands in for
 * ({@link RpcRequest#parseJson}, {@link RpcRequest#of}): it never accepts what the tree read
 * refuses (which then words the refusal), and what it accepts it reads the same (id value and node
 * type, method, task, context).
 */
class RpcScanTest {
    private static final String SEND = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
            + "\"kind\":\"message\",\"messageId\":\"m-1\",\"taskId\":\"t-1\",\"contextId\":\"c-1\",\"parts\":[{\"kind\":\"text\",\"text\":\"Hello!\"}]}}}";

    /** Requests the scan must read itself (no fall back to the tree). */
    static final List<String> PLAIN = List.of(
            SEND,
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"kind\":\"message\",\"messageId\":\"m-1\",\"parts\":[{\"kind\":\"text\",\"text\":\"Hello!\"}]}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tasks/cancel\",\"params\":{\"id\":\"t-2\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"SubscribeToTask\",\"params\":{\"name\":\"tasks/t-3\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/pushNotificationConfig/get\",\"params\":{\"id\":\"t-4\",\"pushNotificationConfigId\":\"p\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"GetTaskPushNotificationConfig\",\"params\":{\"taskId\":\"t-5\",\"id\":\"p\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"tasks/list\",\"params\":{\"contextId\":\"c-9\"}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"SendStreamingMessage\",\"params\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":12345678901234567890123,\"method\":\"GetTask\",\"params\":[1,2]}",
            "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775807,\"method\":\"GetTask\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":-0,\"method\":\"GetTask\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1e400,\"method\":\"GetTask\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\\u00e9\\n\\ud83d\\ude00\",\"method\":\"message/send\",\"params\":{\"message\":{\"taskId\":\"t\\\"1\",\"contextId\":\"日本\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"taskId\":\"" + "x".repeat(300) + "\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + "m".repeat(150) + "\"}",
            // duplicates: the last wins
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":\"two\",\"method\":\"x\",\"method\":\"tasks/get\",\"params\":{\"id\":\"a\",\"id\":\"b\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"id\":2,\"method\":\"tasks/get\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"taskId\":\"a\"},\"message\":{\"contextId\":\"c\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"taskId\":\"a\"}},\"params\":{\"message\":7}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\",\"params\":{\"id\":\"\"},\"params\":{\"id\":5,\"name\":\"tasks/x\"}}",
            "{\"params\":{\"message\":{\"taskId\":\"late\"}},\"method\":\"message/send\",\"id\":1,\"jsonrpc\":\"2.0\"}",
            "{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":[0.1,1E+2,-0.0,1e999999999]}}",
            SEND + " trailing");

    /** Inputs the tree read refuses, or that are out of the ordinary. */
    static final List<String> ODD = List.of(
            "", " ", "null", "[]", "[" + SEND + "]", "\"hi\"", "7", "{}", "{\"jsonrpc\":",
            "{\"jsonrpc\":\"1.0\",\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"1.0\",\"method\":\"x\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"abc\"}", "{\"jsonrpc\":\"2.0\",\"method\":null}", "{\"jsonrpc\":\"2.0\",\"method\":7}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"\"}", "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":{}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":true}", "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":2,\"id\":[]}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"method\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":\"\\q\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "9".repeat(1001) + "}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",}", "{\"jsonrpc\":\"2.0\",\"id\":01,\"method\":\"m\"}",
            "\uFEFF" + SEND,
            // a member of the wrong type whose value is itself a request (the scan must not read its members as the top level's)
            "{\"jsonrpc\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\"}}",
            "{\"jsonrpc\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\"}]}",
            "{\"jsonrpc\":[\"2.0\"],\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tasks/get\"}]}");

    @Test
    void readsPlainRequestsItselfAndAsTheTreeReadDoes() {
        for (String c : PLAIN) {
            assertThat(RpcScan.read(Buffer.buffer(c))).as("scanned: %s", c).isNotNull();
            assertSame(c.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void leavesWhatTheTreeReadRefusesToIt() {
        for (String c : ODD) {
            assertSame(c.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] bad : JsonEdits.BAD_UTF8) {
            assertSame(JsonEdits.splice(SEND, "Hello!", bad));
        }
        assertSame(SEND.getBytes(StandardCharsets.UTF_16BE));
    }

    /** Random edits of valid calls: none the two reads disagree on. */
    @Test
    void mutatedRequestsAsTheTreeReadDoes() {
        for (byte[] in : JsonEdits.of(PLAIN, "idmethodparamsmessagetaskIdcontextId", 11, 10_000)) {
            assertSame(in);
        }
    }

    private static void assertSame(byte[] input) {
        String shown = new String(input, StandardCharsets.ISO_8859_1);
        Buffer body = Buffer.buffer(input);
        RpcRequest tree;
        try {
            JsonNode json = RpcRequest.parseJson(body);
            tree = RpcRequest.of(json);
            assertThat(tree.id()).as(shown).isEqualTo(RpcRequest.idOf(json));
        } catch (GatewayError e) {
            assertThat(RpcScan.read(body)).as("refused by the tree read (%s): %s", e.getMessage(), shown).isNull();
            return;
        }
        RpcRequest scanned = RpcScan.read(body);
        if (scanned == null) {
            return;  // left to the tree read, which then reads it
        }
        assertThat(scanned).as(shown).isEqualTo(tree);
        if (tree.id() != null) {
            assertThat(scanned.id().getClass()).as(shown).isEqualTo(tree.id().getClass());
        }
    }
}
