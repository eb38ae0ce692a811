package io.agentgateway.upstream;

import io.agentgateway.server.GatewayError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSpliceTest {
    private static String splice(String json, JsonSplice edits) {
        return edits.apply().toString();
    }

    private static JsonSplice of(String json) {
        return JsonSplice.of(Buffer.buffer(json));
    }

    @Test
    void replacesOnlyTheValueKeepingEveryOtherByte() {
        String in = "{ \"temperature\" : 2.50,\n  \"model\" :\t\"gpt-4\" , \"n\":1e3, \"msg\":\"caf\\u00e9\" }";
        String out = of(in).put("model", JsonSplice.string("gpt-4o")).apply().toString();
        assertThat(out).isEqualTo("{ \"temperature\" : 2.50,\n  \"model\" :\t\"gpt-4o\" , \"n\":1e3, \"msg\":\"caf\\u00e9\" }");
    }

    @Test
    void replacesValuesOfEveryKindAndAppendsAbsentMembers() {
        String in = "{\"model\":{\"a\":[1,2,{\"b\":\"}\"}]},\"x\":[\"]\"],\"y\":null,\"z\":-0.10}";
        String out = of(in).put("model", "\"m\"").put("x", "1").put("y", "true").put("z", "2").put("w", "\"new\"")
                .apply().toString();
        assertThat(out).isEqualTo("{\"model\":\"m\",\"x\":1,\"y\":true,\"z\":2,\"w\":\"new\"}");
    }

    @Test
    void streamOptionsAreAddedBeforeTheClosingBraceOrMergedIntoTheClientsObject() {
        assertThat(of("{\"stream\":true}\n").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}\n");
        assertThat(of("{}").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream_options\":{\"include_usage\":true}}");
        assertThat(of("{\"stream_options\": {\"x\": 1.0 }, \"a\":1}").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream_options\": {\"x\": 1.0 ,\"include_usage\":true}, \"a\":1}");
        assertThat(of("{\"stream_options\":{ \"include_usage\" : false }}").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream_options\":{ \"include_usage\" : true }}");
        assertThat(of("{\"stream_options\":{}}").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream_options\":{\"include_usage\":true}}");
        assertThat(of("{\"stream_options\":null,\"b\":2}").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"b\":2}");
    }

    @Test
    void multiByteTextBeforeAnEditKeepsOffsetsInBytes() {
        String in = "{\"content\":\"héllo € 😀\",\"model\":\"a\"}";
        assertThat(of(in).put("model", "\"b\"").apply().toString())
                .isEqualTo("{\"content\":\"héllo € 😀\",\"model\":\"b\"}");
    }

    @Test
    void duplicateMembersAreAllReplaced() {
        assertThat(of("{\"model\":\"a\",\"model\":\"b\"}").put("model", "\"c\"").apply().toString())
                .isEqualTo("{\"model\":\"c\",\"model\":\"c\"}");
    }

    @Test
    void noEditsIsTheSameBuffer() {
        Buffer in = Buffer.buffer("{\"a\" : 1}");
        assertThat(JsonSplice.of(in).apply()).isSameAs(in);
    }

    @Test
    void stringsAreQuotedAsJson() {
        assertThat(JsonSplice.string("a\"b\\c\n\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u0001\"");
    }

    @Test
    void notAnObjectIsA400() {
        assertThatThrownBy(() -> of("[1]").put("a", "1").apply()).isInstanceOf(GatewayError.class);
        assertThatThrownBy(() -> of("{\"a\":").put("a", "1").apply()).isInstanceOf(GatewayError.class);
    }

    @Test
    void aBodyThatIsAViewIntoLargerBytesIsSplicedAtItsOwnOffsets() {
        Buffer whole = Buffer.buffer("xxxx{\"content\":\"héllo\",\"model\":\"a\"}yyyy");
        Buffer body = whole.slice(4, whole.length() - 4);
        assertThat(JsonSplice.of(body).put("model", "\"b\"").putIn("stream_options", "include_usage", "true").apply().toString())
                .isEqualTo("{\"content\":\"héllo\",\"model\":\"b\",\"stream_options\":{\"include_usage\":true}}");
        assertThat(whole.toString()).isEqualTo("xxxx{\"content\":\"héllo\",\"model\":\"a\"}yyyy");
    }
}
