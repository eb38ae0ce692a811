package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming parse of {@link ChatRequest} against the tree parse it replaced ({@link Tree},
 * kept here verbatim as the oracle): for every body, the same 400 (message and parameter) or the
 * same facts (model, stream, usage opt-in, token cap, prompt estimate, the tree itself). The
 * bodies: hand-written edge cases (duplicate members, escapes, unicode, huge and fractional
 * numbers, nesting, broken JSON at many places), every golden client request, and a few thousand
 * random mutations of them.
 */
class ChatRequestEquivalenceTest {

    static Stream<String> edgeCases() {
        String ok = "\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        List<String> cases = new ArrayList<>(List.of(
                "", " ", "\n\t ", "null", "[]", "[1,2", "\"x\"", "\"bad \\q escape\"", "42", "true", "{", "{}", "{ }",
                "{" + ok + "}", "{" + ok + "} trailing", "{" + ok + "}{}", "{" + ok + ",}", "{" + ok + " \"x\":1}",
                "{'model':\"gpt-4\"}", "{\"model\":\"gpt-4o\"", "{\"model\":\"gpt-4o\",\"messages\":[",
                "{\"model\":null," + "\"messages\":[]}", "{\"model\":\"  \",\"messages\":[]}", "{\"model\":5,\"messages\":[]}",
                "{\"model\":[\"a\"],\"messages\":[]}", "{\"model\":{},\"messages\":[]}", "{\"model\":\"\\u0067pt\",\"messages\":[{\"role\":\"user\"}]}",
                "{\"model\":\"m\"}", "{\"model\":\"m\",\"messages\":null}", "{\"model\":\"m\",\"messages\":{}}",
                "{\"model\":\"m\",\"messages\":\"hi\"}", "{\"model\":\"m\",\"messages\":7}", "{\"model\":\"m\",\"messages\":true}",
                "{\"model\":\"m\",\"messages\":[]}", "{\"model\":\"m\",\"messages\":[1]}", "{\"model\":\"m\",\"messages\":[null]}",
                "{\"model\":\"m\",\"messages\":[[]]}", "{\"model\":\"m\",\"messages\":[{}]}", "{\"model\":\"m\",\"messages\":[{\"role\":1}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"},{\"role\":null}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"},\"x\",{}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"role\":5}]}", "{\"model\":\"m\",\"messages\":[{\"role\":5,\"role\":\"user\"}]}",
                "{\"messages\":5,\"model\":\"m\",\"messages\":[{\"role\":\"u\"}]}", "{\"messages\":[{\"role\":\"u\"}],\"model\":\"m\",\"messages\":[]}",
                "{\"model\":\"a\",\"model\":\"b\",\"messages\":[{\"role\":\"u\",\"content\":\"x\"}]}",
                "{\"model\":\"a\",\"model\":null,\"messages\":[{\"role\":\"u\"}]}"));
        String[] values = {"null", "true", "false", "0", "1", "-1", "64", "64.0", "64.9", "-0.5", "0.5", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "2147483647.5", "1e3", "1E-3", "1e400", "-1e400", "9999999999999999999999",
                "\"64\"", "\"true\"", "\" true \"", "\"TRUE\"", "\"false\"", "[]", "[1]", "{}", "{\"a\":1}", "\"\""};
        for (String v : values) {
            cases.add("{" + ok + ",\"stream\":" + v + "}");
            cases.add("{" + ok + ",\"max_tokens\":" + v + "}");
            cases.add("{" + ok + ",\"max_completion_tokens\":" + v + ",\"max_tokens\":7}");
            cases.add("{" + ok + ",\"max_tokens\":7,\"max_completion_tokens\":" + v + "}");
            cases.add("{" + ok + ",\"stream\":true,\"stream_options\":{\"include_usage\":" + v + "}}");
            cases.add("{" + ok + ",\"stream_options\":" + v + "}");
            cases.add("{" + ok + ",\"tools\":" + v + "}");
            cases.add("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + v + "}]}");
            cases.add("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"tool_calls\":" + v + "}]}");
            cases.add("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":" + v + "}]}]}");
        }
        cases.addAll(List.of(
                "{" + ok + ",\"stream_options\":{\"include_usage\":true,\"include_usage\":false}}",
                "{" + ok + ",\"stream_options\":{\"include_usage\":true},\"stream_options\":{}}",
                "{" + ok + ",\"stream\":true,\"stream\":\"yes\"}", "{" + ok + ",\"stream\":\"yes\",\"stream\":true}",
                "{" + ok + ",\"max_tokens\":100,\"max_tokens\":\"x\"}",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"caf\\u00e9 \\ud83d\\ude00\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:x\"}},\"loose\",{\"text\":\"a\",\"text\":\"b\"},{\"text\":\"c\",\"text\":1}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": 1.50}\"}}],\"x\":1.50e2}],\"tools\":[{\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"n\":1.0E+2,\"s\":\"\\u00e9\\n\"}}}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"content\":[{\"text\":\"y\"}],\"tool_calls\":1,\"tool_calls\":[2]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"bad \\x escape\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"bad \\x escape\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"raw \t tab\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"meta\":{\"deep\":[\"raw \n newline\"]}}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":01}", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":1.}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":-}", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":NaN}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":" + "9".repeat(1001) + "}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":" + "[".repeat(600) + "]".repeat(600) + "}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":" + "[".repeat(400) + "]".repeat(400) + "}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"t\":tru}", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]]",
                "{\"model\":\"m\",\n  \"messages\": [\n {\"role\":\"user\"}\n ],\n \"x\": }"));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("edgeCases")
    void edgeCasesReadAsTheTreeReadThem(String body) {
        assertSame(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void badUtf8AndOtherEncodingsFailAsBefore() {
        byte[] prefix = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : new byte[][]{{(byte) 0xC3}, {(byte) 0xC3, 0x28}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xFF}, {(byte) 0x80},
                {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
            byte[] body = new byte[prefix.length + bad.length + 4];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            System.arraycopy(bad, 0, body, prefix.length, bad.length);
            System.arraycopy("\"}]}".getBytes(StandardCharsets.UTF_8), 0, body, prefix.length + bad.length, 4);
            assertSame(body);
        }
        assertSame("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}".getBytes(StandardCharsets.UTF_16BE));
        assertSame("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}".getBytes(StandardCharsets.UTF_16LE));
    }

    @Test
    void aBodyInsideALargerBufferIsReadFromItsOwnBytes() {
        Buffer whole = Buffer.buffer("xxxx{\"model\":\"m\",\n\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"x\": }yyyy");
        Buffer body = whole.slice(4, whole.length() - 4);
        assertSame(body.getBytes());
        assertThat(outcome(() -> ChatRequest.parse(body))).isEqualTo(outcome(() -> Tree.parse(Buffer.buffer(body.getBytes()))));
    }

    static Stream<Path> goldenRequests() throws Exception {
        Path golden = Path.of(Objects.requireNonNull(ChatRequestEquivalenceTest.class.getResource("/golden")).toURI());
        try (Stream<Path> files = Files.walk(golden)) {
            return files.filter(p -> p.getFileName().toString().endsWith("client-request.json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("goldenRequests")
    void goldenRequestsAndTheirMutationsReadAsTheTreeReadThem(Path file) throws Exception {
        byte[] body = Files.readAllBytes(file);
        assertSame(body);
        Random random = new Random(file.getFileName().toString().hashCode());
        byte[] alphabet = "{}[]\",:\\ 0123456789.-eE+truefalsnl\u00e9x".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 300; round++) {
            byte[] mutated = body.clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(mutated.length);
                switch (random.nextInt(3)) {
                    case 0 -> mutated[at] = alphabet[random.nextInt(alphabet.length)];
                    case 1 -> mutated = cut(mutated, at);
                    default -> mutated = insert(mutated, at, alphabet[random.nextInt(alphabet.length)]);
                }
            }
            assertSame(mutated);
        }
    }

    private static byte[] cut(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }

    private static byte[] insert(byte[] b, int at, byte x) {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = x;
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
    }

    private static void assertSame(byte[] body) {
        String expected = outcome(() -> Tree.parse(Buffer.buffer(body)));
        String actual = outcome(() -> ChatRequest.parse(Buffer.buffer(body)));
        assertThat(actual).as("for the body %s", new String(body, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    /** What a parse tells its caller: the 400, or every fact the gateway reads of the request. */
    private static String outcome(java.util.function.Supplier<Object> parse) {
        Object request;
        try {
            request = parse.get();
        } catch (GatewayError e) {
            return e.status() + " " + e.getMessage() + " @" + e.param();
        }
        if (request instanceof ChatRequest r) {
            return String.join("|", r.model(), "" + r.stream(), "" + r.clientWantsStreamUsage(), "" + r.maxTokens(),
                    "" + r.estimatePromptTokens(), r.json().toString());
        }
        Tree t = (Tree) request;
        return String.join("|", t.model, "" + t.stream, "" + t.clientWantsStreamUsage, "" + t.maxTokens(),
                "" + t.estimatePromptTokens(), t.json.toString());
    }

    /** The tree-based parse the streaming one replaced, kept as it was. */
    static final class Tree {
        final ObjectNode json;
        final String model;
        final boolean stream;
        final boolean clientWantsStreamUsage;

        private Tree(ObjectNode json, String model, boolean stream) {
            this.json = json;
            this.model = model;
            this.stream = stream;
            JsonNode opts = json.get("stream_options");
            this.clientWantsStreamUsage = opts != null && opts.path("include_usage").asBoolean(false);
        }

        static Tree parse(Buffer body) {
            ObjectNode json = Json.parseObject(body);
            String model = ChatRequest.requireModel(json);
            JsonNode messages = json.get("messages");
            if (messages == null || messages.isNull()) {
                throw GatewayError.invalid("missing required parameter: 'messages'", "messages");
            }
            if (!messages.isArray()) {
                throw GatewayError.invalid("'messages' must be an array of message objects, not " + Json.kind(messages), "messages");
            }
            if (messages.isEmpty()) {
                throw GatewayError.invalid("'messages' must contain at least one message", "messages");
            }
            for (int i = 0; i < messages.size(); i++) {
                JsonNode m = messages.get(i);
                if (!m.isObject()) {
                    throw GatewayError.invalid("messages[" + i + "] must be an object, not " + Json.kind(m), "messages[" + i + "]");
                }
                JsonNode role = m.get("role");
                if (role == null || !role.isTextual()) {
                    throw GatewayError.invalid("messages[" + i + "].role is required and must be a string", "messages[" + i + "].role");
                }
            }
            JsonNode stream = json.get("stream");
            if (stream != null && !stream.isNull() && !stream.isBoolean()) {
                throw GatewayError.invalid("'stream' must be a boolean, not " + Json.kind(stream), "stream");
            }
            return new Tree(json, model, stream != null && stream.asBoolean());
        }

        int maxTokens() {
            JsonNode n = json.get("max_completion_tokens");
            if (n == null || !n.canConvertToInt()) {
                n = json.get("max_tokens");
            }
            return n != null && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : -1;
        }

        long estimatePromptTokens() {
            long tokens = 3;
            JsonNode messages = json.get("messages");
            StringBuilder text = new StringBuilder();
            for (JsonNode m : messages) {
                text.setLength(0);
                appendText(m.get("content"), text);
                JsonNode calls = m.get("tool_calls");
                if (calls != null) {
                    text.append(calls);
                }
                tokens += 4 + TokenCounter.countRecent(text.toString(), model);
            }
            JsonNode tools = json.get("tools");
            if (tools != null) {
                tokens += TokenCounter.countRecent(tools.toString(), model);
            }
            return tokens;
        }

        private static void appendText(JsonNode content, StringBuilder out) {
            if (content == null || content.isNull()) {
                return;
            }
            if (content.isTextual()) {
                out.append(content.asText());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    JsonNode t = part.get("text");
                    if (t != null && t.isTextual()) {
                        out.append(t.asText()).append('\n');
                    }
                }
            }
        }
    }
}
