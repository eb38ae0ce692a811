package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.util.function.UnaryOperator;

/**
 * What differs between the two A2A bindings the gateway serves, for one call: JSON-RPC (one
 * endpoint, the operation in the body, answers and errors in JSON-RPC envelopes) and HTTP+JSON
 * (the operation in the path, bare answers, {@code google.rpc.Status} errors). Forwarding,
 * streaming, timeouts and governance are the same for both ({@link CallFlow}).
 *
 * <p>One per call; immutable.
 */
sealed interface Binding {
    /** The A2A method, as metrics, spans and audit name it. */
    String operation();

    boolean streaming();

    HttpMethod method();

    /** Reads one answer of the agent (a whole one, or one event of a stream). */
    RpcResult scan(Buffer answer);

    RpcResult scan(String event);

    /** How a body that is not an answer of this binding is described in the error. */
    String answerKind();

    /** The caller's error format. */
    ErrorRenderer errors();

    /** A failure as the last event of a stream that already began. */
    Buffer errorEvent(GatewayError error, Exchange exchange);

    /** A successful answer whose payload is an agent card, with the card replaced by {@code present(card)}. */
    Buffer withCard(Buffer answer, UnaryOperator<ObjectNode> present);

    /** JSON-RPC 2.0 over one endpoint: the call's id goes into every error of the gateway. */
    record JsonRpc(RpcRequest rpc, JsonNode id) implements Binding {
        @Override
        public String operation() {
            return rpc.method();
        }

        @Override
        public boolean streaming() {
            return rpc.streaming();
        }

        @Override
        public HttpMethod method() {
            return HttpMethod.POST;
        }

        @Override
        public RpcResult scan(Buffer answer) {
            return RpcResult.scan(answer);
        }

        @Override
        public RpcResult scan(String event) {
            return RpcResult.scan(event);
        }

        @Override
        public String answerKind() {
            return "a JSON-RPC response";
        }

        @Override
        public ErrorRenderer errors() {
            return new A2aErrors(id);
        }

        @Override
        public Buffer errorEvent(GatewayError error, Exchange exchange) {
            return A2aErrors.event(rpc.id(), error, exchange);
        }

        @Override
        public Buffer withCard(Buffer answer, UnaryOperator<ObjectNode> present) {
            JsonNode tree = Json.parse(answer);
            JsonNode card = tree.get("result");
            if (card == null || !card.isObject()) {
                return answer;
            }
            ((ObjectNode) tree).set("result", present.apply((ObjectNode) card));
            return Json.write(tree);
        }
    }

    /** HTTP+JSON: the operation is the path ({@link RestRoute}), forwarded below the agent's REST interface. */
    record Rest(RestRoute route, HttpMethod method) implements Binding {
        @Override
        public String operation() {
            return route.method();
        }

        @Override
        public boolean streaming() {
            return route.streaming();
        }

        @Override
        public RpcResult scan(Buffer answer) {
            return RpcResult.scanRest(answer);
        }

        @Override
        public RpcResult scan(String event) {
            return RpcResult.scanRest(event);
        }

        @Override
        public String answerKind() {
            return "an A2A HTTP+JSON answer";
        }

        @Override
        public ErrorRenderer errors() {
            return RestErrors.INSTANCE;
        }

        @Override
        public Buffer errorEvent(GatewayError error, Exchange exchange) {
            return RestErrors.event(error, exchange);
        }

        @Override
        public Buffer withCard(Buffer answer, UnaryOperator<ObjectNode> present) {
            JsonNode card = Json.parse(answer);
            return card.isObject() ? Json.write(present.apply((ObjectNode) card)) : answer;
        }
    }
}
