package io.agentgateway.mcp;

import io.agentgateway.testing.JsonEdits;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming read of a message ({@link Envelope}) against the tree read it replaces
 * ({@link Message#parseTree}): for every input, both accept it and read the same kind, id (value
 * and node type), method, params, error flag, tree and bytes, or both refuse it with the same
 * JSON-RPC error (code, words, id).
 */
class EnvelopeTest {
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"Hello!\"}}}";

    static final List<String> CASES = List.of(
            CALL,
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"c\",\"version\":\"1\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///a%20b?x=1#f\"}}",
            // escapes and unicode, in captured members and in skipped ones
            "{\"jsonrpc\":\"2.0\",\"id\":\"\\u00e9\\n\\\"q\\\"\",\"method\":\"tools/call\",\"params\":{\"name\":\"a\\u00e9\\t\\\\b\\/c\",\"arguments\":{\"t\":\"\\ud83d\\ude00 \\\"x\\\"\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"é😀\",\"method\":\"tools/call\",\"params\":{\"name\":\"über😀\",\"arguments\":{\"t\":\"日本語\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"\\ud800\",\"arguments\":{\"t\":\"\\udc00x\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\",\"arguments\":{\"t\":\"\\q\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\",\"arguments\":{\"t\":\"\\u12G4\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\",\"arguments\":{\"t\":\"a\u0001b\"}}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"a\u0001\"}}",
            // duplicate members: the last wins
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":\"two\",\"method\":\"tools/call\",\"params\":{\"name\":\"a\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"id\":2,\"method\":\"tools/call\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"id\":{},\"method\":\"tools/call\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\",\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"name\":\"y\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\"},\"params\":{\"uri\":\"u\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"name\":5}}",
            "{\"jsonrpc\":\"1.0\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"result\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{},\"params\":7}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":7,\"params\":[]}",
            // ids and numbers
            "{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":-0,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":-9223372036854775809,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1.0,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1e2,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":\"\",\"method\":\"m\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":1e999999999}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":1e9999999999}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":-1e-9999999999}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":[0.1000000000000000055511151231257827,1E+2,-0.0]}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "9".repeat(1001) + "}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "9".repeat(999) + "}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":01}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":NaN}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "[".repeat(499) + "]".repeat(499) + "}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",\"params\":{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}}",
            // methods and params of the wrong type
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":7}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":null}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":[\"name\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"result\":{}}",
            "{\"id\":1,\"method\":\"x\"}",
            "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"x\"}",
            // a member of the wrong type whose value is itself a message (the scan must not read its members as the top level's)
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"m\"}]}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"m\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":[\"tools/call\"],\"x\":1}",
            "{\"jsonrpc\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}}",
            "{\"jsonrpc\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"},\"x\":1}",
            "{\"jsonrpc\":[\"2.0\"],\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"}",
            // not one message
            "", "   ", "null", "[]", "[" + CALL + "]", "\"s\"", "1", "true", "{}",
            "{\"jsonrpc\":", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\"", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"m\",}",
            "{'jsonrpc':'2.0'}", "{\"jsonrpc\":\"2.0\" /* c */,\"id\":1,\"method\":\"m\"}",
            CALL + " trailing", CALL + "{", CALL + "]", CALL + CALL, "\uFEFF" + CALL, " \n\t" + CALL + "\n");

    @Test
    void readsEveryCaseAsTheTreeReadDoes() {
        for (String c : CASES) {
            assertSame(c.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void badUtf8AndOtherEncodingsAsTheTreeReadDoes() {
        byte[][] cases = {
                JsonEdits.splice(CALL, "echo", new byte[]{(byte) 0xC3, 0x28}),
                JsonEdits.splice(CALL, "tools/call", new byte[]{(byte) 0x80}),
                CALL.getBytes(StandardCharsets.UTF_16BE),
                CALL.getBytes(StandardCharsets.UTF_16LE),
                ("\uFEFF" + CALL).getBytes(StandardCharsets.UTF_16),
        };
        for (byte[] c : cases) {
            assertSame(c);
        }
        for (byte[] bad : JsonEdits.BAD_UTF8) {
            assertSame(JsonEdits.splice(CALL, "Hello!", bad));
        }
    }

    /** Random edits of valid messages (JSON's own characters, bad bytes, cut-offs): no input the two reads disagree on. */
    @Test
    void mutatedMessagesAsTheTreeReadDoes() {
        for (byte[] in : JsonEdits.of(CASES.subList(0, 30), "idmethodparamsnameresulterror", 9, 10_000)) {
            assertSame(in);
        }
    }

    private static void assertSame(byte[] input) {
        String shown = new String(input, StandardCharsets.ISO_8859_1);
        Message tree = null;
        JsonRpcException treeError = null;
        try {
            tree = Message.parseTree(Buffer.buffer(input));
        } catch (JsonRpcException e) {
            treeError = e;
        }
        Message scanned = null;
        JsonRpcException scanError = null;
        try {
            scanned = Message.parse(Buffer.buffer(input));
        } catch (JsonRpcException e) {
            scanError = e;
        }
        if (treeError != null) {
            assertThat(scanError).as("refused by the tree read: %s", shown).isNotNull();
            assertThat(scanError.code()).as(shown).isEqualTo(treeError.code());
            assertThat(scanError.getMessage()).as(shown).isEqualTo(treeError.getMessage());
            assertThat(scanError.id()).as(shown).isEqualTo(treeError.id());
            return;
        }
        assertThat(scanError).as("accepted by the tree read: %s", shown).isNull();
        assertThat(scanned.kind()).as(shown).isEqualTo(tree.kind());
        assertThat(scanned.id()).as(shown).isEqualTo(tree.id());
        if (tree.id() != null) {
            assertThat(scanned.id().getClass()).as(shown).isEqualTo(tree.id().getClass());
        }
        assertThat(scanned.method()).as(shown).isEqualTo(tree.method());
        for (String p : List.of("name", "uri", "protocolVersion", "cursor")) {
            assertThat(scanned.param(p)).as(shown).isEqualTo(tree.param(p));
        }
        assertThat(scanned.isError()).as(shown).isEqualTo(tree.isError());
        assertThat(scanned.toString()).as(shown).isEqualTo(tree.toString());
        assertThat(scanned.bytes().getBytes()).as(shown).isEqualTo(tree.bytes().getBytes());
        assertThat(scanned.json()).as(shown).isEqualTo(tree.json());
        assertThat(scanned.params()).as(shown).isEqualTo(tree.params());
        assertThat(scanned.result()).as(shown).isEqualTo(tree.result());
    }
}
