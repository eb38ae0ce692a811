package io.agentgateway.llm.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.ChatChunkBridge;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.testing.GoldenCases;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static io.agentgateway.testing.GoldenCases.assertEvents;
import static io.agentgateway.testing.GoldenCases.assertJson;
import static io.agentgateway.testing.GoldenCases.tryJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case in {@code golden/anthropic-to-openai/}: an Anthropic Messages client's request
 * and the answer of a provider speaking OpenAI chat completions. A case is a set of files
 * {@code <case>.<kind>}:
 * <ul>
 *   <li>{@code anthropic-request.json} -> {@code chat-request.json}, or -> {@code error.json}
 *       (the 400: status, param, message);</li>
 *   <li>{@code chat-response.json} -> {@code anthropic-response.json};</li>
 *   <li>{@code chat-stream.txt} (the provider's SSE, through {@link OpenAiToOpenAi}) ->
 *       {@code anthropic-stream.txt}; a stream that does not finish ends with the error event the
 *       relay asks for;</li>
 *   <li>{@code openai-error.txt} ({@code HTTP <status>}, a blank line, the body) -> {@code anthropic-error.json};</li>
 *   <li>optional {@code accounting.json}: the usage and response model the gateway accounts.</li>
 * </ul>
 */
class AnthropicToOpenAiGoldenTest {
    private static final long PROMPT_ESTIMATE = 12;
    private static final GoldenCases CASES = GoldenCases.of("/golden/anthropic-to-openai");

    static Stream<String> requestCases() {
        return CASES.cases("anthropic-request.json");
    }

    static Stream<String> responseCases() {
        return CASES.cases("chat-response.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("chat-stream.txt");
    }

    static Stream<String> errorCases() {
        return CASES.cases("openai-error.txt");
    }

    private static MessagesRequest parsed(String name) {
        return MessagesRequest.parse(Buffer.buffer(CASES.read(name, "anthropic-request.json")), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        MessagesRequest request = parsed(name);
        if (CASES.has(name, "error.json")) {
            CASES.assertRefused(name, () -> AnthropicToOpenAi.chatRequest(request));
            return;
        }
        ObjectNode chat = AnthropicToOpenAi.chatRequest(request);
        assertJson(chat.toString(), CASES.read(name, "chat-request.json"), name);
        ChatRequest.parse(Json.write(chat)); // what the provider's chat translator takes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse completion = OpenAiToOpenAi.INSTANCE.response(null, Buffer.buffer(CASES.read(name, "chat-response.json")));
        Buffer answer = AnthropicToOpenAi.response(completion.body(), completion.usage());
        assertJson(answer.toString(StandardCharsets.UTF_8), CASES.read(name, "anthropic-response.json"), name);
        CASES.assertAccounting(name, completion.usage(), completion.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        GoldenCases.Streamed streamed = GoldenCases.translateEveryChunking(name, CASES.bytes(name, "chat-stream.txt"), () -> {
            MessagesRequest request = parsed(name);
            ChatRequest chat = ChatRequest.parse(Json.write(AnthropicToOpenAi.chatRequest(request)));
            return new ChatChunkBridge(OpenAiToOpenAi.INSTANCE.stream(chat), AnthropicToOpenAi.stream(request, PROMPT_ESTIMATE));
        }, SseDecoder::new, true);
        assertEvents(streamed.out(), CASES.read(name, "anthropic-stream.txt"), name);
        CASES.assertAccounting(name, streamed.last().usage(), streamed.last().responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        Buffer anthropic = CASES.translateError(name, "openai-error.txt",
                (status, body) -> AnthropicToOpenAi.error(status, OpenAiToOpenAi.errorBody(status, body)));
        CASES.assertJson(anthropic, name, "anthropic-error.json");
    }

    @Test
    void everyInputHasItsExpectedOutput() {
        CASES.assertKinds(List.of("anthropic-request.json", "chat-request.json", "error.json", "chat-response.json",
                "anthropic-response.json", "chat-stream.txt", "anthropic-stream.txt", "openai-error.txt", "anthropic-error.json",
                "accounting.json"));
        CASES.assertOutputs("anthropic-request.json", "chat-request.json", "error.json");
        CASES.assertOutputs("chat-response.json", "anthropic-response.json");
        CASES.assertOutputs("chat-stream.txt", "anthropic-stream.txt");
        CASES.assertOutputs("openai-error.txt", "anthropic-error.json");
    }

    /** The expected messages, events and errors (which the translations equal) are what the anthropic-java SDK reads and validates. */
    @Test
    void expectedOutputsAreWhatTheAnthropicSdkAccepts() throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : responseCases().toList()) {
            sdk.readValue(CASES.read(name, "anthropic-response.json"), Message.class).validate();
        }
        for (String name : streamCases().toList()) {
            for (SseEvent event : GoldenCases.events(CASES.read(name, "anthropic-stream.txt"))) {
                JsonNode data = tryJson(event.data());
                assertThat(data.path("type").asText()).as(name).isEqualTo(event.event());
                if (event.event().equals("error")) {
                    sdk.treeToValue(data, ErrorResponse.class).validate();
                } else {
                    sdk.treeToValue(data, RawMessageStreamEvent.class).validate();
                }
            }
        }
        for (String name : errorCases().toList()) {
            sdk.readValue(CASES.read(name, "anthropic-error.json"), ErrorResponse.class).validate();
        }
    }
}
