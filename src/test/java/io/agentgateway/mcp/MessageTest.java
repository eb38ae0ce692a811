package io.agentgateway.mcp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTest {
    static Message parse(String s) {
        return Message.parse(Buffer.buffer(s));
    }

    @Test
    void tellsRequestsNotificationsAndResponsesApart() {
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").kind()).isEqualTo(Message.Kind.REQUEST);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").kind()).isEqualTo(Message.Kind.NOTIFICATION);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{}}").kind()).isEqualTo(Message.Kind.RESPONSE);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}").isError()).isTrue();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> parse("{\"jsonrpc\":")).isInstanceOfSatisfying(JsonRpcException.class,
                e -> assertThat(e.code()).isEqualTo(-32700));
        assertThatThrownBy(() -> parse("")).isInstanceOfSatisfying(JsonRpcException.class, e -> assertThat(e.code()).isEqualTo(-32700));
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("batches");
        assertThatThrownBy(() -> parse("{\"id\":1,\"method\":\"x\"}")).hasMessageContaining("\"jsonrpc\" must be \"2.0\"");
        assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}")).hasMessageContaining("\"id\"");
        assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":3}")).hasMessageContaining("\"method\"");
        assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"id\":1}")).hasMessageContaining("needs \"method\"");
        assertThatThrownBy(() -> parse("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":7}")).hasMessageContaining("\"params\"");
    }

    @Test
    void anUnchangedMessageKeepsItsExactBytesAndNumbersSurviveARewrite() {
        String text = "{ \"jsonrpc\":\"2.0\", \"id\":1, \"result\":{\"v\":0.1000000000000000055511151231257827, \"n\":12345678901234567890123} }";
        Message m = parse(text);
        assertThat(m.bytes().toString()).isEqualTo(text);
        String rewritten = m.withId(com.fasterxml.jackson.databind.node.TextNode.valueOf("x")).bytes().toString();
        assertThat(rewritten).contains("0.1000000000000000055511151231257827").contains("12345678901234567890123").contains("\"id\":\"x\"");
    }

    @Test
    void federatedIdsRoundTripNumbersAndStrings() {
        var n = Ids.prefix("fs", parse("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"m\"}").id());
        var s = Ids.prefix("fs", parse("{\"jsonrpc\":\"2.0\",\"id\":\"a__b\",\"method\":\"m\"}").id());
        assertThat(Ids.server(n)).isEqualTo("fs");
        assertThat(Ids.unprefix(n).isIntegralNumber()).isTrue();
        assertThat(Ids.unprefix(n).asInt()).isEqualTo(42);
        assertThat(Ids.unprefix(s).asText()).isEqualTo("a__b");
        assertThat(Ids.unprefix(com.fasterxml.jackson.databind.node.TextNode.valueOf("plain"))).isNull();
    }
}
