package io.agentgateway.llm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};
    private static final List<String> KINDS = List.of("openai-request.json", "bedrock-request.json", "bedrock-response.json",
            "openai-response.json", "bedrock-stream.jsonl", "openai-stream.txt", "bedrock-error.txt", "openai-error.json",
            "accounting.json");

    private final OpenAiToBedrock translator = new OpenAiToBedrock(CLOCK, () -> "chatcmpl-golden");

    static Stream<String> requestCases() {
        return cases("bedrock-request.json");
    }

    static Stream<String> responseCases() {
        return cases("bedrock-response.json");
    }

    static Stream<String> streamCases() {
        return cases("bedrock-stream.jsonl");
    }

    static Stream<String> errorCases() {
        return cases("bedrock-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        Buffer body = translator.requestBody(clientRequest(name), "anthropic.claude-sonnet-4-5-20250929-v1:0");
        assertThat(Json.parse(body)).as(name).isEqualTo(Json.parse(Buffer.buffer(read(name, "bedrock-request.json"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse response = translator.response(clientRequest(name), Buffer.buffer(read(name, "bedrock-response.json")));
        assertThat(Json.parse(response.body())).as(name).isEqualTo(Json.parse(Buffer.buffer(read(name, "openai-response.json"))));
        checkAccounting(name, response.usage(), response.responseModel(), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = frames(read(name, "bedrock-stream.jsonl"));
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            StreamTranslator stream = translator.stream(clientRequest(name));
            Buffer out = Buffer.buffer();
            EventDecoder decoder = translator.streamDecoder(e -> stream.onEvent(e, out));
            for (int i = 0; i < upstream.length; i += size) {
                int end = (int) Math.min(upstream.length, (long) i + size);
                decoder.feed(Buffer.buffer().appendBytes(upstream, i, end - i));
            }
            decoder.end();
            if (stream.finished()) {
                stream.onEnd(out);
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (first == null) {
                first = text;
            } else {
                assertThat(text).as("%s fed in %d-byte chunks", name, size).isEqualTo(first);
            }
            last = stream;
        }
        List<SseEvent> got = events(first);
        List<SseEvent> want = events(read(name, "openai-stream.txt"));
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            JsonNode wantJson = tryJson(want.get(i).data());
            if (wantJson == null) {
                assertThat(got.get(i).data()).as("%s event %d", name, i).isEqualTo(want.get(i).data());
            } else {
                assertThat(tryJson(got.get(i).data())).as("%s event %d: %s", name, i, got.get(i).data()).isEqualTo(wantJson);
            }
        }
        assertThat(got).as("%s: event count; got:%n%s", name, first).hasSameSizeAs(want);
        checkAccounting(name, last.usage(), last.responseModel(), last.finished());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        String raw = read(name, "bedrock-error.txt");
        int split = raw.indexOf("\n\n");
        int status = Integer.parseInt(raw.substring(0, split).replace("HTTP", "").trim());
        Buffer body = translator.error(status, Buffer.buffer(raw.substring(split + 2)));
        assertThat(Json.parse(body)).as(name).isEqualTo(Json.parse(Buffer.buffer(read(name, "openai-error.json"))));
    }

    @Test
    void everyInputHasItsExpectedOutput() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                assertThat(KINDS).as("kind of %s", fileName).anyMatch(k -> fileName.endsWith("." + k));
            }
        }
        requestCases().forEach(c -> assertThat(dir().resolve(c + ".openai-request.json")).exists());
        responseCases().forEach(c -> assertThat(dir().resolve(c + ".openai-response.json")).exists());
        streamCases().forEach(c -> assertThat(dir().resolve(c + ".openai-stream.txt")).exists());
        errorCases().forEach(c -> assertThat(dir().resolve(c + ".openai-error.json")).exists());
    }

    @Test
    void expectedOutputsAreWhatTheOpenAiSdkAccepts() throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : responseCases().toList()) {
            sdk.readValue(read(name, "openai-response.json"), ChatCompletion.class).validate();
        }
        for (String name : streamCases().toList()) {
            for (SseEvent event : events(read(name, "openai-stream.txt"))) {
                JsonNode data = tryJson(event.data());
                if (data == null) {
                    assertThat(event.data()).as(name).isEqualTo("[DONE]");
                } else if (data.has("error")) {
                    sdk.treeToValue(data.get("error"), ErrorObject.class).validate();
                } else {
                    sdk.treeToValue(data, ChatCompletionChunk.class).validate();
                }
            }
        }
    }

    @Test
    void aCorruptFrameEndsTheStreamWithAnErrorNotAnException() {
        byte[] frames = frames(read("streaming-text", "bedrock-stream.jsonl"));
        frames[frames.length - 3] ^= 0x55; // the last message's CRC no longer matches
        StreamTranslator stream = translator.stream(clientRequest("streaming-text"));
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
            byte[] payload = m.get("payload").toString().getBytes(StandardCharsets.UTF_8);
            try {
                new Message(headers, payload).encode(out);
            } catch (RuntimeException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toByteArray();
    }

    private void checkAccounting(String name, Usage usage, String model, Boolean finished) {
        Path file = dir().resolve(name + ".accounting.json");
        if (!Files.exists(file)) {
            return;
        }
        ObjectNode got = Json.MAPPER.createObjectNode();
        got.put("input_tokens", usage.inputTokens());
        got.put("output_tokens", usage.outputTokens());
        got.put("total_tokens", usage.totalTokens());
        got.put("cached_input_tokens", usage.cachedInputTokens());
        got.put("estimated", usage.estimated());
        got.put("response_model", model);
        if (finished != null) {
            got.put("finished", finished);
        }
        assertThat(Json.parse(Buffer.buffer(got.toString()))).as(name + " accounting")
                .isEqualTo(Json.parse(Buffer.buffer(read(name, "accounting.json"))));
    }

    private static List<SseEvent> events(String sse) {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(events::add);
        decoder.feed(Buffer.buffer(sse));
        decoder.end();
        return events;
    }

    private static JsonNode tryJson(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    private static ChatRequest clientRequest(String name) {
        return ChatRequest.parse(Buffer.buffer(read(name, "openai-request.json")));
    }

    static Path dir() {
        try {
            return Path.of(Objects.requireNonNull(OpenAiToBedrockGoldenTest.class.getResource("/golden/openai-to-bedrock")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> cases(String kind) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + kind))
                    .map(n -> n.substring(0, n.length() - kind.length() - 1)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String name, String kind) {
        try {
            return Files.readString(dir().resolve(name + "." + kind));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
