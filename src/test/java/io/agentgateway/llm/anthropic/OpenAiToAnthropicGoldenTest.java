package io.agentgateway.llm.anthropic;

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
import io.agentgateway.upstream.SseDecoder;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
import java.util.List;
import java.util.Objects;
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
    private static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};
    private static final List<String> KINDS = List.of("openai-request.json", "anthropic-request.json",
            "anthropic-response.json", "openai-response.json", "anthropic-stream.txt", "openai-stream.txt",
            "anthropic-error.txt", "openai-error.json", "accounting.json");

    private final OpenAiToAnthropic translator = new OpenAiToAnthropic(CLOCK);

    static Stream<String> requestCases() {
        return cases("openai-request.json");
    }

    static Stream<String> responseCases() {
        return cases("anthropic-response.json");
    }

    static Stream<String> streamCases() {
        return cases("anthropic-stream.txt");
    }

    static Stream<String> errorCases() {
        return cases("anthropic-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        Buffer body = translator.requestBody(request(name, false), UPSTREAM_MODEL);
        assertJson(body.toString(StandardCharsets.UTF_8), read(name, "anthropic-request.json"), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse response = translator.response(request(name, false), Buffer.buffer(read(name, "anthropic-response.json")));
        assertJson(response.body().toString(StandardCharsets.UTF_8), read(name, "openai-response.json"), name);
        checkAccounting(name, response.usage(), response.responseModel(), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = read(name, "anthropic-stream.txt").getBytes(StandardCharsets.UTF_8);
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            StreamTranslator stream = translator.stream(request(name, true));
            String out = translate(stream, upstream, size);
            if (first == null) {
                first = out;
            } else {
                assertThat(out).as("%s fed in %d-byte chunks", name, size).isEqualTo(first);
            }
            last = stream;
        }
        assertEvents(first, read(name, "openai-stream.txt"), name);
        checkAccounting(name, last.usage(), last.responseModel(), last.finished());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        String raw = read(name, "anthropic-error.txt");
        int split = raw.indexOf("\n\n");
        int status = Integer.parseInt(raw.substring(0, split).replace("HTTP", "").trim());
        Buffer body = translator.error(status, Buffer.buffer(raw.substring(split + 2)));
        assertJson(body.toString(StandardCharsets.UTF_8), read(name, "openai-error.json"), name);
    }

    /** Guards the cases themselves: a misnamed file would otherwise be skipped without a word. */
    @Test
    void everyInputHasItsExpectedOutput() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                assertThat(KINDS).as("kind of %s", fileName).anyMatch(k -> fileName.endsWith("." + k));
            }
        }
        requestCases().forEach(c -> assertThat(dir().resolve(c + ".anthropic-request.json")).exists());
        responseCases().forEach(c -> assertThat(dir().resolve(c + ".openai-response.json")).exists());
        streamCases().forEach(c -> assertThat(dir().resolve(c + ".openai-stream.txt")).exists());
        errorCases().forEach(c -> assertThat(dir().resolve(c + ".openai-error.json")).exists());
        assertThat(requestCases().count() + responseCases().count() + streamCases().count() + errorCases().count()).isGreaterThan(20);
    }

    /**
     * The expected OpenAI bodies and chunks (which the translations equal) are what the openai-java
     * SDK reads: each parses into its model type and passes the SDK's own validation.
     */
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
        for (String name : errorCases().toList()) {
            sdk.treeToValue(Json.MAPPER.readTree(read(name, "openai-error.json")).get("error"), ErrorObject.class).validate();
        }
    }

    private static String translate(StreamTranslator stream, byte[] upstream, int chunkSize) {
        Buffer out = Buffer.buffer();
        SseDecoder decoder = new SseDecoder(event -> stream.onEvent(event, out));
        for (int i = 0; i < upstream.length; i += chunkSize) {
            int end = (int) Math.min(upstream.length, (long) i + chunkSize);
            decoder.feed(Buffer.buffer().appendBytes(upstream, i, end - i));
        }
        decoder.end();
        if (stream.finished()) {
            stream.onEnd(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertEvents(String actual, String expected, String name) {
        List<SseEvent> got = events(actual);
        List<SseEvent> want = events(expected);
        assertThat(actual).as("%s: every event is data-only and ends with a blank line", name)
                .doesNotContain("event:").endsWith("\n\n");
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            String label = name + " event " + i;
            JsonNode gotJson = tryJson(got.get(i).data());
            JsonNode wantJson = tryJson(want.get(i).data());
            if (wantJson != null) {
                assertThat(gotJson).as("%s: %s", label, got.get(i).data()).isEqualTo(wantJson);
            } else {
                assertThat(got.get(i).data()).as(label).isEqualTo(want.get(i).data());
            }
            assertThat(got.get(i).event()).as(label).isEqualTo(want.get(i).event());
        }
        assertThat(got).as("%s: event count; got:%n%s", name, actual).hasSameSizeAs(want);
    }

    private static List<SseEvent> events(String sse) {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(events::add);
        decoder.feed(Buffer.buffer(sse));
        decoder.end();
        return events;
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
        assertJson(got.toString(), read(name, "accounting.json"), name + " accounting");
    }

    private static void assertJson(String actual, String expected, String label) {
        JsonNode got = tryJson(actual);
        assertThat(got).as("%s: output is JSON: %s", label, actual).isNotNull();
        assertThat(got).as("%s; got:%n%s", label, actual).isEqualTo(tryJson(expected));
    }

    private static JsonNode tryJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private ChatRequest request(String name, boolean stream) {
        Path file = dir().resolve(name + ".openai-request.json");
        String body = Files.exists(file) ? read(name, "openai-request.json")
                : "{\"model\":\"claude\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        return ChatRequest.parse(Buffer.buffer(body));
    }

    private static Stream<String> cases(String kind) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith("." + kind))
                    .map(f -> f.substring(0, f.length() - kind.length() - 1))
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String name, String kind) {
        try {
            return Files.readString(dir().resolve(name + "." + kind));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir() {
        try {
            return Path.of(Objects.requireNonNull(OpenAiToAnthropicGoldenTest.class.getResource("/golden/openai-to-anthropic")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
