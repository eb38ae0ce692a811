package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatChunkBridge;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.SseDecoder;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * Ids come from a counter and time from a fixed clock. JSON is compared as trees, streams event by
 * event; streams are fed in several chunk sizes, which must all give the same bytes.
 */
class ResponsesToChatGoldenTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};
    private static final List<String> KINDS = List.of("responses-request.json", "chat-request.json", "error.json",
            "chat-response.json", "responses-response.json", "chat-stream.txt", "responses-stream.txt", "accounting.json");

    private static ResponsesToChat translator() {
        AtomicInteger n = new AtomicInteger();
        return new ResponsesToChat(CLOCK, prefix -> prefix + String.format("%04d", n.incrementAndGet()));
    }

    static Stream<String> requestCases() {
        return cases("responses-request.json");
    }

    static Stream<String> responseCases() {
        return cases("chat-response.json");
    }

    static Stream<String> streamCases() {
        return cases("chat-stream.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        ResponsesRequest request = ResponsesRequest.parse(Buffer.buffer(read(name, "responses-request.json")));
        if (Files.exists(dir().resolve(name + ".error.json"))) {
            JsonNode expected = tryJson(read(name, "error.json"));
            assertThatThrownBy(() -> translator().chatRequest(request, null))
                    .isInstanceOfSatisfying(GatewayError.class, e -> {
                        assertThat(e.status()).isEqualTo(expected.path("status").asInt());
                        assertThat(e.param()).isEqualTo(expected.path("param").asText());
                        assertThat(e.getMessage()).isEqualTo(expected.path("message").asText());
                    });
            return;
        }
        ObjectNode chat = translator().chatRequest(request, null).chat();
        assertJson(chat.toString(), read(name, "chat-request.json"), name);
        ChatRequest.parse(Json.write(chat)); // what the provider's chat translator takes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse completion = OpenAiToOpenAi.INSTANCE.response(null, Buffer.buffer(read(name, "chat-response.json")));
        ResponsesToChat.Answer answer = translator().response(request(name, false), completion.body(), completion.usage());
        assertJson(answer.body().toString(StandardCharsets.UTF_8), read(name, "responses-response.json"), name);
        checkAccounting(name, completion.usage(), completion.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = read(name, "chat-stream.txt").getBytes(StandardCharsets.UTF_8);
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            ResponsesRequest request = request(name, true);
            ChatRequest chat = ChatRequest.parse(Json.write(translator().chatRequest(request, null).chat()));
            AtomicReference<ResponsesToChat.Answer> completed = new AtomicReference<>();
            StreamTranslator stream = new ChatChunkBridge(OpenAiToOpenAi.INSTANCE.stream(chat), translator().stream(request, completed::set));
            String out = translate(stream, upstream, size);
            assertThat(stream.finished()).as(name).isTrue();
            assertThat(completed.get()).as("%s: the answer is handed over for previous_response_id", name).isNotNull();
            if (first == null) {
                first = out;
            } else {
                assertThat(out).as("%s fed in %d-byte chunks", name, size).isEqualTo(first);
            }
            last = stream;
        }
        assertEvents(first, read(name, "responses-stream.txt"), name);
        checkAccounting(name, last.usage(), last.responseModel());
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
        requestCases().forEach(c -> assertThat(Files.exists(dir().resolve(c + ".chat-request.json"))
                || Files.exists(dir().resolve(c + ".error.json"))).as(c).isTrue());
        responseCases().forEach(c -> assertThat(dir().resolve(c + ".responses-response.json")).exists());
        streamCases().forEach(c -> assertThat(dir().resolve(c + ".responses-stream.txt")).exists());
    }

    /** The expected answers and events (which the translations equal) are what the openai-java SDK reads and validates. */
    @Test
    void expectedOutputsAreWhatTheOpenAiSdkAccepts() throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : responseCases().toList()) {
            sdk.readValue(read(name, "responses-response.json"), Response.class).validate();
        }
        for (String name : streamCases().toList()) {
            for (SseEvent event : events(read(name, "responses-stream.txt"))) {
                JsonNode data = tryJson(event.data());
                assertThat(data.path("type").asText()).as(name).isEqualTo(event.event());
                sdk.treeToValue(data, ResponseStreamEvent.class).validate();
            }
        }
    }

    static String translate(StreamTranslator stream, byte[] upstream, int chunkSize) {
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

    static void assertEvents(String actual, String expected, String name) {
        List<SseEvent> got = events(actual);
        List<SseEvent> want = events(expected);
        assertThat(actual).as("%s: every event ends with a blank line", name).endsWith("\n\n");
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            String label = name + " event " + i;
            assertThat(tryJson(got.get(i).data())).as("%s: %s", label, got.get(i).data()).isEqualTo(tryJson(want.get(i).data()));
            assertThat(got.get(i).event()).as(label).isEqualTo(want.get(i).event());
        }
        assertThat(got).as("%s: event count; got:%n%s", name, actual).hasSameSizeAs(want);
    }

    static List<SseEvent> events(String sse) {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(events::add);
        decoder.feed(Buffer.buffer(sse));
        decoder.end();
        return events;
    }

    private void checkAccounting(String name, Usage usage, String model) {
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
        assertJson(got.toString(), read(name, "accounting.json"), name + " accounting");
    }

    static void assertJson(String actual, String expected, String label) {
        JsonNode got = tryJson(actual);
        assertThat(got).as("%s: output is JSON: %s", label, actual).isNotNull();
        assertThat(got).as("%s; got:%n%s", label, actual).isEqualTo(tryJson(expected));
    }

    static JsonNode tryJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private ResponsesRequest request(String name, boolean stream) {
        Path file = dir().resolve(name + ".responses-request.json");
        String body = Files.exists(file) ? read(name, "responses-request.json")
                : "{\"model\":\"gpt-4.1\",\"stream\":" + stream + ",\"input\":\"Hi\"}";
        return ResponsesRequest.parse(Buffer.buffer(body));
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
            return Path.of(Objects.requireNonNull(ResponsesToChatGoldenTest.class.getResource("/golden/responses-to-chat")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
