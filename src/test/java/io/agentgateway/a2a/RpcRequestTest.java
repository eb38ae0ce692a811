package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.server.GatewayError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the gateway reads of a call, and what it refuses. */
class RpcRequestTest {
    static RpcRequest of(String body) {
        return RpcRequest.of(RpcRequest.parseJson(Buffer.buffer(body)));
    }

    @Test
    void theTaskIsFoundWhereEachMethodPutsIt() {
        RpcRequest send = of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"taskId\":\"t-1\",\"contextId\":\"c-1\"}}}");
        assertThat(send.taskId()).isEqualTo("t-1");
        assertThat(send.contextId()).isEqualTo("c-1");
        assertThat(send.streaming()).isFalse();
        assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tasks/cancel\",\"params\":{\"id\":\"t-2\"}}").taskId()).isEqualTo("t-2");
        assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"SubscribeToTask\",\"params\":{\"name\":\"tasks/t-3\"}}").taskId()).isEqualTo("t-3");
        assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tasks/pushNotificationConfig/get\",\"params\":{\"id\":\"t-4\",\"pushNotificationConfigId\":\"p\"}}")
                .taskId()).isEqualTo("t-4");
        assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"GetTaskPushNotificationConfig\",\"params\":{\"taskId\":\"t-5\",\"id\":\"p\"}}")
                .taskId()).isEqualTo("t-5");
        assertThat(of("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"SendStreamingMessage\",\"params\":{}}").streaming()).isTrue();
    }

    @Test
    void theIdIsKeptForTheAnswerEvenWhenTheRestIsWrong() {
        JsonNode json = RpcRequest.parseJson(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":\"abc\"}"));
        assertThat(RpcRequest.idOf(json).asText()).isEqualTo("abc");
        assertThatThrownBy(() -> RpcRequest.of(json)).hasMessageContaining("no \"method\"");
    }

    @Test
    void whatIsNotOneJsonRpcRequestIsRefused() {
        assertThatThrownBy(() -> of("")).isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.code()).isEqualTo("parse_error"));
        assertThatThrownBy(() -> of("[{}]")).isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.code()).isEqualTo("batch_not_supported"));
        assertThatThrownBy(() -> of("\"hi\"")).hasMessageContaining("not a string");
        assertThatThrownBy(() -> of("{\"jsonrpc\":\"1.0\",\"method\":\"x\"}")).hasMessageContaining("\"jsonrpc\" must be \"2.0\"");
        assertThatThrownBy(() -> of("{\"jsonrpc\":\"2.0\",\"method\":7}")).hasMessageContaining("non-empty string");
        assertThatThrownBy(() -> of("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"id\":{}}")).hasMessageContaining("\"id\" must be");
    }
}
