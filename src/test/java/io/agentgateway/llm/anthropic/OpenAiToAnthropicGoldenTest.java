package io.agentgateway.llm.anthropic;

import io.agentgateway.llm.ChatRequest;
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

/**
 * Runs every case in {@code golden/openai-to-anthropic/}. A case is a set of files named
 * {@code <case>.<kind>}:
 * <ul>
 *   <li>{@code openai-request.json} -> {@code anthropic-request.json} (the body sent upstream);</li>
 *   <li>{@code anthropic-response.json} -> {@code openai-response.json} (a complete answer);</li>
 *   <li>{@code anthropic-stream.txt} (raw SSE as Anthropic sends it) -> {@code openai-stream.txt};</li>
 *   <li>{@code anthropic-error.txt} ({@code HTTP <status>}, a blank line, the body) -> {@code openai-error.json};</li>
 *   <li>optional {@code accounting.json}: the usage, response model and (streams) whether the
 *       stream finished, as the gateway will account them.</li>
 * </ul>
 * Responses and streams are translated for the case's {@code openai-request.json} when there is
 * one. JSON is compared as trees; streams event by event, each {@code data:} payload as a tree
 * when it is JSON. Streams are fed in several chunk sizes, which must all give the same bytes.
 */
class OpenAiToAnthropicGoldenTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";
    private static final GoldenCases CASES = GoldenCases.of("/golden/openai-to-anthropic");

    private final OpenAiToAnthropic translator = new OpenAiToAnthropic(CLOCK);

    static Stream<String> requestCases() {
        return CASES.cases("openai-request.json");
    }

    static Stream<String> responseCases() {
        return CASES.cases("anthropic-response.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("anthropic-stream.txt");
    }

    static Stream<String> errorCases() {
        return CASES.cases("anthropic-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        CASES.assertJson(translator.requestBody(request(name, false), UPSTREAM_MODEL), name, "anthropic-request.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse response = translator.response(request(name, false), Buffer.buffer(CASES.read(name, "anthropic-response.json")));
        CASES.assertJson(response.body(), name, "openai-response.json");
        CASES.assertAccounting(name, response.usage(), response.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = CASES.bytes(name, "anthropic-stream.txt");
        StreamTranslator last = CASES.assertChatStream(translator, () -> request(name, true), name, upstream, "openai-stream.txt");
        CASES.assertAccounting(name, last.usage(), last.responseModel(), last.finished());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        CASES.assertJson(CASES.translateError(name, "anthropic-error.txt", translator::error), name, "openai-error.json");
    }

    /** Guards the cases themselves: a misnamed file would otherwise be skipped without a word. */
    @Test
    void everyInputHasItsExpectedOutput() {
        CASES.assertKinds(List.of("openai-request.json", "anthropic-request.json", "anthropic-response.json", "openai-response.json",
                "anthropic-stream.txt", "openai-stream.txt", "anthropic-error.txt", "openai-error.json", "accounting.json"));
        CASES.assertOutputs("openai-request.json", "anthropic-request.json");
        CASES.assertOutputs("anthropic-response.json", "openai-response.json");
        CASES.assertOutputs("anthropic-stream.txt", "openai-stream.txt");
        CASES.assertOutputs("anthropic-error.txt", "openai-error.json");
        assertThat(requestCases().count() + responseCases().count() + streamCases().count() + errorCases().count()).isGreaterThan(20);
    }

    /**
     * The expected OpenAI bodies and chunks (which the translations equal) are what the openai-java
     * SDK reads: each parses into its model type and passes the SDK's own validation.
     */
    @Test
    void expectedOutputsAreWhatTheOpenAiSdkAccepts() throws IOException {
        CASES.assertOpenAiSdkAccepts("openai-response.json", "openai-stream.txt", "openai-error.json");
    }

    private ChatRequest request(String name, boolean stream) {
        String body = CASES.has(name, "openai-request.json") ? CASES.read(name, "openai-request.json")
                : "{\"model\":\"claude\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        return ChatRequest.parse(Buffer.buffer(body));
    }
}
