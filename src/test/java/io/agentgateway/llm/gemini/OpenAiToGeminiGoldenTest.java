package io.agentgateway.llm.gemini;

import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.testing.GoldenCases;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every case in {@code golden/openai-to-gemini/} (the body Gemini's API and Vertex AI's
 * Gemini share): {@code openai-request.json -> gemini-request.json} (the {@code generateContent}
 * body), {@code gemini-response.json -> openai-response.json}, {@code gemini-stream.txt} (the SSE
 * of {@code streamGenerateContent?alt=sse}) {@code -> openai-stream.txt}, {@code gemini-error.txt}
 * ({@code HTTP <status>}, a blank line, the body) {@code -> openai-error.json}, and the optional
 * {@code accounting.json}.
 */
class OpenAiToGeminiGoldenTest {
    static final GoldenCases CASES = GoldenCases.of("/golden/openai-to-gemini");
    private final OpenAiToGemini translator = new OpenAiToGemini(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            () -> "chatcmpl-golden");

    static Stream<String> requestCases() {
        return CASES.cases("gemini-request.json");
    }

    static Stream<String> responseCases() {
        return CASES.cases("gemini-response.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("gemini-stream.txt");
    }

    static Stream<String> errorCases() {
        return CASES.cases("gemini-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        CASES.assertJson(translator.requestBody(CASES.chatRequest(name), "gemini-2.5-flash"), name, "gemini-request.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse response = translator.response(CASES.chatRequest(name), Buffer.buffer(CASES.read(name, "gemini-response.json")));
        CASES.assertJson(response.body(), name, "openai-response.json");
        CASES.assertAccounting(name, response.usage(), response.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = CASES.bytes(name, "gemini-stream.txt");
        StreamTranslator last = CASES.assertChatStream(translator, () -> CASES.chatRequest(name), name, upstream, "openai-stream.txt");
        CASES.assertAccounting(name, last.usage(), last.responseModel(), last.finished());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        CASES.assertJson(CASES.translateError(name, "gemini-error.txt", translator::error), name, "openai-error.json");
    }

    @Test
    void everyInputHasItsExpectedOutputAndTheSdkAcceptsThem() throws IOException {
        CASES.assertKinds(List.of("openai-request.json", "gemini-request.json", "gemini-response.json", "openai-response.json",
                "gemini-stream.txt", "openai-stream.txt", "gemini-error.txt", "openai-error.json", "accounting.json"));
        assertThat(requestCases().count() + responseCases().count() + streamCases().count() + errorCases().count()).isGreaterThan(8);
        CASES.assertOpenAiSdkAccepts("openai-response.json", "openai-stream.txt", "openai-error.json");
    }

    @Test
    void aToolResultThatAnswersNoCallIsRefusedNamingIt() {
        var request = io.agentgateway.llm.ChatRequest.parse(Buffer.buffer("""
                {"model": "g", "messages": [{"role": "user", "content": "hi"}, {"role": "tool", "tool_call_id": "nope", "content": "x"}]}"""));
        assertThatThrownBy(() -> translator.requestBody(request, "g")).hasMessageContaining("messages[1].tool_call_id 'nope'");
    }
}
