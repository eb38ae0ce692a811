package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.agentgateway.testing.GoldenCases.assertEvents;
import static io.agentgateway.testing.GoldenCases.assertJson;
import static io.agentgateway.testing.GoldenCases.tryJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case in {@code golden/responses-to-chat/}: a Responses API client's request and the
 * answer of a provider reached through chat completions. A case is a set of files
 * {@code <case>.<kind>}:
 * <ul>
 *   <li>{@code responses-request.json} -> {@code chat-request.json} (the chat body before the
 *       provider's own chat translator), or -> {@code error.json} (the 400: status, param, message);</li>
 *   <li>{@code chat-response.json} -> {@code responses-response.json};</li>
 *   <li>{@code chat-stream.txt} (an OpenAI-wire provider's SSE, through its chat translator) ->
 *       {@code responses-stream.txt};</li>
 *   <li>optional {@code accounting.json}: the usage and response model the gateway accounts.</li>
 * </ul>
 * Ids come from a counter and time from a fixed clock.
 */
class ResponsesToChatGoldenTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final GoldenCases CASES = GoldenCases.of("/golden/responses-to-chat");

    private static ResponsesToChat translator() {
        AtomicInteger n = new AtomicInteger();
        return new ResponsesToChat(CLOCK, prefix -> prefix + String.format("%04d", n.incrementAndGet()));
    }

    static Stream<String> requestCases() {
        return CASES.cases("responses-request.json");
    }

    static Stream<String> responseCases() {
        return CASES.cases("chat-response.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("chat-stream.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        ResponsesRequest request = ResponsesRequest.parse(Buffer.buffer(CASES.read(name, "responses-request.json")));
        if (CASES.has(name, "error.json")) {
            CASES.assertRefused(name, () -> translator().chatRequest(request, null));
            return;
        }
        ObjectNode chat = translator().chatRequest(request, null).chat();
        assertJson(chat.toString(), CASES.read(name, "chat-request.json"), name);
        ChatRequest.parse(Json.write(chat)); // what the provider's chat translator takes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse completion = OpenAiToOpenAi.INSTANCE.response(null, Buffer.buffer(CASES.read(name, "chat-response.json")));
        ResponsesToChat.Answer answer = translator().response(request(name, false), completion.body(), completion.usage());
        assertJson(answer.body().toString(StandardCharsets.UTF_8), CASES.read(name, "responses-response.json"), name);
        CASES.assertAccounting(name, completion.usage(), completion.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        List<AtomicReference<ResponsesToChat.Answer>> handedOver = new ArrayList<>();
        GoldenCases.Streamed streamed = GoldenCases.translateEveryChunking(name, CASES.bytes(name, "chat-stream.txt"), () -> {
            ResponsesRequest request = request(name, true);
            ChatRequest chat = ChatRequest.parse(Json.write(translator().chatRequest(request, null).chat()));
            AtomicReference<ResponsesToChat.Answer> completed = new AtomicReference<>();
            handedOver.add(completed);
            return new ChatChunkBridge(OpenAiToOpenAi.INSTANCE.stream(chat), translator().stream(request, completed::set));
        }, SseDecoder::new, true);
        assertThat(handedOver).as("%s: a stream per chunking", name).hasSize(GoldenCases.CHUNK_SIZES.length);
        handedOver.forEach(completed ->
                assertThat(completed.get()).as("%s: the answer is handed over for previous_response_id", name).isNotNull());
        assertEvents(streamed.out(), CASES.read(name, "responses-stream.txt"), name);
        CASES.assertAccounting(name, streamed.last().usage(), streamed.last().responseModel());
    }

    @Test
    void everyInputHasItsExpectedOutput() {
        CASES.assertKinds(List.of("responses-request.json", "chat-request.json", "error.json", "chat-response.json",
                "responses-response.json", "chat-stream.txt", "responses-stream.txt", "accounting.json"));
        CASES.assertOutputs("responses-request.json", "chat-request.json", "error.json");
        CASES.assertOutputs("chat-response.json", "responses-response.json");
        CASES.assertOutputs("chat-stream.txt", "responses-stream.txt");
    }

    /** The expected answers and events (which the translations equal) are what the openai-java SDK reads and validates. */
    @Test
    void expectedOutputsAreWhatTheOpenAiSdkAccepts() throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : responseCases().toList()) {
            sdk.readValue(CASES.read(name, "responses-response.json"), Response.class).validate();
        }
        for (String name : streamCases().toList()) {
            for (SseEvent event : GoldenCases.events(CASES.read(name, "responses-stream.txt"))) {
                JsonNode data = tryJson(event.data());
                assertThat(data.path("type").asText()).as(name).isEqualTo(event.event());
                sdk.treeToValue(data, ResponseStreamEvent.class).validate();
            }
        }
    }

    private ResponsesRequest request(String name, boolean stream) {
        String body = CASES.has(name, "responses-request.json") ? CASES.read(name, "responses-request.json")
                : "{\"model\":\"gpt-4.1\",\"stream\":" + stream + ",\"input\":\"Hi\"}";
        return ResponsesRequest.parse(Buffer.buffer(body));
    }
}
