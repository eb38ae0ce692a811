package io.agentgateway.llm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.testing.GoldenCases;
import io.agentgateway.server.Json;
import io.agentgateway.upstream.EventDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case in {@code golden/openai-to-bedrock/}, files named {@code <case>.<kind>}:
 * <ul>
 *   <li>{@code openai-request.json} -> {@code bedrock-request.json} (the Converse body);</li>
 *   <li>{@code bedrock-response.json} -> {@code openai-response.json};</li>
 *   <li>{@code bedrock-stream.jsonl} -> {@code openai-stream.txt}: one ConverseStream message per
 *       line ({@code {"event": type, "payload": {...}}} or {@code {"exception": type, ...}}),
 *       encoded here into {@code application/vnd.amazon.eventstream} frames by AWS's own encoder
 *       (prelude, headers, payload, both CRC32s) and fed to the gateway's decoder in several chunk
 *       sizes, which must all give the same bytes;</li>
 *   <li>{@code bedrock-error.txt} ({@code HTTP <status>}, a blank line, the body) -> {@code openai-error.json};</li>
 *   <li>optional {@code accounting.json}: usage, response model and (streams) whether the stream finished.</li>
 * </ul>
 */
class OpenAiToBedrockGoldenTest {
    static final GoldenCases CASES = GoldenCases.of("/golden/openai-to-bedrock");
    private final OpenAiToBedrock translator = new OpenAiToBedrock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            () -> "chatcmpl-golden");

    static Stream<String> requestCases() {
        return CASES.cases("bedrock-request.json");
    }

    static Stream<String> responseCases() {
        return CASES.cases("bedrock-response.json");
    }

    static Stream<String> streamCases() {
        return CASES.cases("bedrock-stream.jsonl");
    }

    static Stream<String> errorCases() {
        return CASES.cases("bedrock-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        CASES.assertJson(translator.requestBody(CASES.chatRequest(name), "anthropic.claude-sonnet-4-5-20250929-v1:0"), name,
                "bedrock-request.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse response = translator.response(CASES.chatRequest(name), Buffer.buffer(CASES.read(name, "bedrock-response.json")));
        CASES.assertJson(response.body(), name, "openai-response.json");
        CASES.assertAccounting(name, response.usage(), response.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = frames(CASES.read(name, "bedrock-stream.jsonl"));
        StreamTranslator last = CASES.assertChatStream(translator, () -> CASES.chatRequest(name), name, upstream, "openai-stream.txt");
        CASES.assertAccounting(name, last.usage(), last.responseModel(), last.finished());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        CASES.assertJson(CASES.translateError(name, "bedrock-error.txt", translator::error), name, "openai-error.json");
    }

    @Test
    void everyInputHasItsExpectedOutputAndTheSdkAcceptsThem() throws IOException {
        CASES.assertKinds(List.of("openai-request.json", "bedrock-request.json", "bedrock-response.json", "openai-response.json",
                "bedrock-stream.jsonl", "openai-stream.txt", "bedrock-error.txt", "openai-error.json", "accounting.json"));
        CASES.assertOutputs("bedrock-request.json", "openai-request.json");
        CASES.assertOutputs("bedrock-response.json", "openai-response.json");
        CASES.assertOutputs("bedrock-stream.jsonl", "openai-stream.txt");
        CASES.assertOutputs("bedrock-error.txt", "openai-error.json");
        CASES.assertOpenAiSdkAccepts("openai-response.json", "openai-stream.txt", "openai-error.json");
    }

    @Test
    void aCorruptFrameEndsTheStreamWithAnErrorNotAnException() {
        byte[] frames = frames(CASES.read("streaming-text", "bedrock-stream.jsonl"));
        frames[frames.length - 3] ^= 0x55; // the last message's CRC no longer matches
        StreamTranslator stream = translator.stream(CASES.chatRequest("streaming-text"));
        Buffer out = Buffer.buffer();
        EventDecoder decoder = translator.streamDecoder(e -> stream.onEvent(e, out));
        decoder.feed(Buffer.buffer(frames));
        decoder.end();
        assertThat(out.toString()).contains("\"code\":\"corruptStream\"").contains("Bon");
    }

    /** Encodes each line of a {@code .jsonl} case as one event-stream message, as Bedrock frames them. */
    static byte[] frames(String jsonl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : jsonl.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode m = Json.parse(Buffer.buffer(line));
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            if (m.has("exception")) {
                headers.put(":exception-type", HeaderValue.fromString(m.get("exception").asText()));
                headers.put(":content-type", HeaderValue.fromString("application/json"));
                headers.put(":message-type", HeaderValue.fromString("exception"));
            } else {
                headers.put(":event-type", HeaderValue.fromString(m.get("event").asText()));
                headers.put(":content-type", HeaderValue.fromString("application/json"));
                headers.put(":message-type", HeaderValue.fromString("event"));
            }
            new Message(headers, m.get("payload").toString().getBytes(StandardCharsets.UTF_8)).encode(out);
        }
        return out.toByteArray();
    }
}
