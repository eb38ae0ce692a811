package io.agentgateway.llm.anthropic;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.agentgateway.upstream.UpstreamFailures;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * JSON is compared as trees, streams event by event; streams are fed in several chunk sizes,
 * which must all give the same bytes.
 */
class AnthropicToOpenAiGoldenTest {
    private static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};
    private static final long PROMPT_ESTIMATE = 12;
    private static final List<String> KINDS = List.of("anthropic-request.json", "chat-request.json", "error.json",
            "chat-response.json", "anthropic-response.json", "chat-stream.txt", "anthropic-stream.txt",
            "openai-error.txt", "anthropic-error.json", "accounting.json");

    static Stream<String> requestCases() {
        return cases("anthropic-request.json");
    }

    static Stream<String> responseCases() {
        return cases("chat-response.json");
    }

    static Stream<String> streamCases() {
        return cases("chat-stream.txt");
    }

    static Stream<String> errorCases() {
        return cases("openai-error.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestCases")
    void request(String name) {
        MessagesRequest request = MessagesRequest.parse(Buffer.buffer(read(name, "anthropic-request.json")), false);
        if (Files.exists(dir().resolve(name + ".error.json"))) {
            JsonNode expected = tryJson(read(name, "error.json"));
            assertThatThrownBy(() -> AnthropicToOpenAi.chatRequest(request))
                    .isInstanceOfSatisfying(GatewayError.class, e -> {
                        assertThat(e.status()).isEqualTo(expected.path("status").asInt());
                        assertThat(e.param()).isEqualTo(expected.path("param").asText());
                        assertThat(e.getMessage()).isEqualTo(expected.path("message").asText());
                    });
            return;
        }
        ObjectNode chat = AnthropicToOpenAi.chatRequest(request);
        assertJson(chat.toString(), read(name, "chat-request.json"), name);
        ChatRequest.parse(Json.write(chat)); // what the provider's chat translator takes
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responseCases")
    void response(String name) {
        TranslatedResponse completion = OpenAiToOpenAi.INSTANCE.response(null, Buffer.buffer(read(name, "chat-response.json")));
        Buffer answer = AnthropicToOpenAi.response(completion.body(), completion.usage());
        assertJson(answer.toString(StandardCharsets.UTF_8), read(name, "anthropic-response.json"), name);
        checkAccounting(name, completion.usage(), completion.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamCases")
    void stream(String name) {
        byte[] upstream = read(name, "chat-stream.txt").getBytes(StandardCharsets.UTF_8);
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            MessagesRequest request = MessagesRequest.parse(Buffer.buffer(read(name, "anthropic-request.json")), false);
            ChatRequest chat = ChatRequest.parse(Json.write(AnthropicToOpenAi.chatRequest(request)));
            StreamTranslator stream = new ChatChunkBridge(OpenAiToOpenAi.INSTANCE.stream(chat), AnthropicToOpenAi.stream(request, PROMPT_ESTIMATE));
            String out = translate(stream, upstream, size);
            if (first == null) {
                first = out;
            } else {
                assertThat(out).as("%s fed in %d-byte chunks", name, size).isEqualTo(first);
            }
            last = stream;
        }
        assertEvents(first, read(name, "anthropic-stream.txt"), name);
        checkAccounting(name, last.usage(), last.responseModel());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void error(String name) {
        String raw = read(name, "openai-error.txt");
        int split = raw.indexOf("\n\n");
        int status = Integer.parseInt(raw.substring(0, split).replace("HTTP", "").trim());
        Buffer openAi = OpenAiToOpenAi.errorBody(status, Buffer.buffer(raw.substring(split + 2)));
        assertJson(AnthropicToOpenAi.error(status, openAi).toString(StandardCharsets.UTF_8), read(name, "anthropic-error.json"), name);
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
        responseCases().forEach(c -> assertThat(dir().resolve(c + ".anthropic-response.json")).exists());
        streamCases().forEach(c -> assertThat(dir().resolve(c + ".anthropic-stream.txt")).exists());
        errorCases().forEach(c -> assertThat(dir().resolve(c + ".anthropic-error.json")).exists());
    }

    /** The expected messages, events and errors (which the translations equal) are what the anthropic-java SDK reads and validates. */
    @Test
    void expectedOutputsAreWhatTheAnthropicSdkAccepts() throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : responseCases().toList()) {
            sdk.readValue(read(name, "anthropic-response.json"), Message.class).validate();
        }
        for (String name : streamCases().toList()) {
            for (SseEvent event : events(read(name, "anthropic-stream.txt"))) {
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
            sdk.readValue(read(name, "anthropic-error.json"), ErrorResponse.class).validate();
        }
    }

    /** Feeds {@code upstream} in chunks, then ends the stream as the relay does: properly, or with the error event. */
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
        } else {
            stream.onError(UpstreamFailures.incomplete("provider local ended the stream before it finished"), out);
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

    static String read(String name, String kind) {
        try {
            return Files.readString(dir().resolve(name + "." + kind));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dir() {
        try {
            return Path.of(Objects.requireNonNull(AnthropicToOpenAiGoldenTest.class.getResource("/golden/anthropic-to-openai")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
