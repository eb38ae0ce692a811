package io.agentgateway.a2a;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.mcp.JsonRpcException;
import io.agentgateway.mcp.Message;
import io.agentgateway.server.GatewayError;
import io.vertx.core.buffer.Buffer;

/**
 * Coverage-guided fuzzing of the request parsers of all three protocols (OpenAI chat
 * completions, MCP JSON-RPC, A2A JSON-RPC): whatever the bytes, a parser either accepts them or
 * fails with the documented 4xx failure ({@link GatewayError} with a status below 500,
 * {@link JsonRpcException}); any other throwable (a stack overflow, a number that will not convert,
 * a null where a value was assumed) is what became a 500, and fails the test with the input saved.
 *
 * <p>It lives in the A2A package because the A2A parser is package-private; the LLM and MCP
 * parsers are public. {@code ./mvnw verify} fuzzes for {@code fuzz.duration} (10 s); for a longer
 * local run: {@code ./mvnw test -Dtest=RequestParsersFuzzTest -Dfuzz.duration=10m}. Seeds are in
 * {@code src/test/resources/io/agentgateway/a2a/RequestParsersFuzzTestInputs/}; a crashing input
 * found locally goes there too, so every build replays it.
 */
class RequestParsersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void requestParsersAnswerOnlyDocumentedErrors(FuzzedDataProvider data) {
        int protocol = data.consumeInt(0, 2);
        Buffer body = Buffer.buffer(data.consumeRemainingAsBytes());
        try {
            switch (protocol) {
                case 0 -> chat(body);
                case 1 -> mcp(body);
                default -> a2a(body);
            }
        } catch (GatewayError e) {
            if (e.status() >= 500) {
                throw new AssertionError("a parser answered " + e.status() + ": " + e.getMessage(), e);
            }
        } catch (JsonRpcException e) {
            // -32700 / -32600: rendered as a 400 with the JSON-RPC error
        }
    }

    private static void chat(Buffer body) {
        ChatRequest request = ChatRequest.parse(body);
        // What the LLM flow reads of a parsed request before it forwards it.
        request.maxTokens();
        request.estimatePromptTokens();
        request.clientWantsStreamUsage();
    }

    private static void mcp(Buffer body) {
        Message m = Message.parse(body);
        m.kind();
        m.id();
        m.method();
        m.params();
        m.param("name");
        m.bytes();
        m.withId(m.id()).bytes();
    }

    private static void a2a(Buffer body) {
        JsonNode json = RpcRequest.parseJson(body);
        RpcRequest.idOf(json);
        RpcRequest.of(json);
    }
}
