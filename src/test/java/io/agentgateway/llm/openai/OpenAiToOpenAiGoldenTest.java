package io.agentgateway.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.testing.GoldenCases;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files for the OpenAI pass-through ({@code golden/openai-to-openai/}):
 * {@code client-request.json -> upstream-request.json} (model renamed to gpt-4o-2024-08-06,
 * {@code include_usage} added to streams), {@code upstream-stream.txt -> client-stream.txt} (byte for
 * byte, fed in several chunk sizes; {@code accounting.json} for usage and completeness) and
 * {@code upstream-error.txt -> client-error.json}.
 */
class OpenAiToOpenAiGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM_MODEL = "gpt-4o-2024-08-06";

    private static final GoldenCases CASES = GoldenCases.of("/golden/openai-to-openai");

    static Stream<String> requestCases() {
        return CASES.cases("upstream-request.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("upstream-stream.txt");
    }

    static Stream<String> errorCases() {
        return CASES.cases("upstream-error.txt");
    }

    static ChatRequest request(String c) {
        return ChatRequest.parse(Buffer.buffer(CASES.read(c, "client-request.json")));
    }

    @ParameterizedTest
    @MethodSource("requestCases")
    void requestGoesUpstreamAsExpected(String c) throws Exception {
        Buffer body = OpenAiToOpenAi.INSTANCE.requestBody(request(c), UPSTREAM_MODEL);
        assertThat(JSON.readTree(body.getBytes())).isEqualTo(JSON.readTree(CASES.read(c, "upstream-request.json")));
    }

    @ParameterizedTest
    @MethodSource("streamCases")
    void streamReachesTheClientAsExpected(String c) throws Exception {
        byte[] upstream = CASES.bytes(c, "upstream-stream.txt");
        String expected = CASES.read(c, "client-stream.txt");
        for (int size : new int[]{1, 7, 64, upstream.length}) {
            ChatRequest request = request(c);
            StreamTranslator t = OpenAiToOpenAi.INSTANCE.stream(request);
            String out = GoldenCases.translate(t, SseDecoder::new, upstream, size, false);
            assertThat(out).as("chunk size %d", size).isEqualTo(expected);
            if (CASES.has(c, "accounting.json")) {
                JsonNode accounting = JSON.readTree(CASES.read(c, "accounting.json"));
                Usage u = t.usage();
                JsonNode eu = accounting.path("usage");
                if (eu.has("input")) {
                    assertThat(u.inputTokens()).isEqualTo(eu.path("input").asLong());
                }
                assertThat(u.outputTokens()).isEqualTo(eu.path("output").asLong());
                assertThat(u.estimated()).isEqualTo(eu.path("estimated").asBoolean());
                assertThat(t.finished()).isEqualTo(accounting.path("finished").asBoolean());
                if (accounting.has("response_model")) {
                    assertThat(t.responseModel()).isEqualTo(accounting.path("response_model").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("errorCases")
    void upstreamErrorsReachTheClientInOpenAisShape(String c) throws Exception {
        Buffer body = CASES.translateError(c, "upstream-error.txt", OpenAiToOpenAi.INSTANCE::error);
        assertThat(JSON.readTree(body.getBytes())).isEqualTo(JSON.readTree(CASES.read(c, "client-error.json")));
    }
}
