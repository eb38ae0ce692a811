package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.agentgateway.upstream.SseDecoder;
import io.agentgateway.upstream.UpstreamFailures;
import io.vertx.core.buffer.Buffer;
import org.assertj.core.api.ThrowableAssert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One directory of golden-file cases for a translator pair, {@code <case>.<kind>} each, and the
 * comparisons every golden test shares: JSON as trees, event streams event by event (each
 * {@code data:} payload as a tree), streams fed in several chunk sizes that must all give the same
 * bytes, the accounting ({@code accounting.json}: usage, response model and, for streams that say
 * so, whether the stream finished), the 400 a request is refused with ({@code error.json}: status,
 * param, message), upstream errors ({@code HTTP <status>}, a blank line, the body) and that the
 * expected OpenAI outputs are what the openai-java SDK accepts.
 */
public final class GoldenCases {
    /** Chunk sizes every stream case is fed in; all must give the same bytes. */
    public static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};

    private final Path dir;

    private GoldenCases(Path dir) {
        this.dir = dir;
    }

    /** The cases under the test resource folder {@code resource} ({@code /golden/<pair>}). */
    public static GoldenCases of(String resource) {
        try {
            return new GoldenCases(Path.of(Objects.requireNonNull(GoldenCases.class.getResource(resource), resource).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the cases that have a {@code kind} file, sorted. */
    public Stream<String> cases(String kind) {
        try (Stream<Path> files = Files.list(dir)) {
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

    public boolean has(String name, String kind) {
        return Files.exists(dir.resolve(name + "." + kind));
    }

    public String read(String name, String kind) {
        try {
            return Files.readString(dir.resolve(name + "." + kind));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes(String name, String kind) {
        return read(name, kind).getBytes(StandardCharsets.UTF_8);
    }

    /** The case's {@code openai-request.json}, parsed as the gateway parses a chat request. */
    public ChatRequest chatRequest(String name) {
        return ChatRequest.parse(Buffer.buffer(read(name, "openai-request.json")));
    }

    /** Guards the cases themselves: every file is of a known kind, so a misnamed one is not skipped without a word. */
    public void assertKinds(List<String> kinds) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                assertThat(kinds).as("kind of %s", fileName).anyMatch(k -> fileName.endsWith("." + k));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case with an {@code input} file also has one of the {@code outputs}. */
    public void assertOutputs(String input, String... outputs) {
        cases(input).forEach(c -> assertThat(Stream.of(outputs).anyMatch(o -> has(c, o)))
                .as("%s.%s has its expected output (%s)", c, input, String.join(" or ", outputs)).isTrue());
    }

    /** {@code call} throws the 400 of the case's {@code error.json}. */
    public void assertRefused(String name, ThrowableAssert.ThrowingCallable call) {
        JsonNode expected = tryJson(read(name, "error.json"));
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayError.class, e -> {
            assertThat(e.status()).isEqualTo(expected.path("status").asInt());
            assertThat(e.param()).isEqualTo(expected.path("param").asText());
            assertThat(e.getMessage()).isEqualTo(expected.path("message").asText());
        });
    }

    /** {@code actual} is, as a JSON tree, the case's {@code kind} file. */
    public void assertJson(Buffer actual, String name, String kind) {
        assertJson(actual.toString(StandardCharsets.UTF_8), read(name, kind), name + "." + kind);
    }

    /** Compares with the case's {@code accounting.json}, when it has one. */
    public void assertAccounting(String name, Usage usage, String model) {
        assertAccounting(name, usage, model, null);
    }

    /** Compares with the case's {@code accounting.json}, when it has one; {@code finished} null for a whole answer. */
    public void assertAccounting(String name, Usage usage, String model, Boolean finished) {
        if (!has(name, "accounting.json")) {
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

    /** An upstream error case ({@code HTTP <status>}, a blank line, the body) through {@code translate}. */
    public Buffer translateError(String name, String kind, BiFunction<Integer, Buffer, Buffer> translate) {
        String raw = read(name, kind);
        int split = raw.indexOf("\n\n");
        int status = Integer.parseInt(raw.substring(0, split).replace("HTTP", "").trim());
        return translate.apply(status, Buffer.buffer(raw.substring(split + 2)));
    }

    /**
     * A stream case of a pair that answers in OpenAI chat chunks: a new stream of {@code translator}
     * for each chunking, through the translator's own framing, must give the expected data-only
     * events; a stream cut short ends as the translator leaves it. Returns the last run's stream.
     */
    public StreamTranslator assertChatStream(ChatTranslator translator, Supplier<ChatRequest> request, String name,
                                             byte[] upstream, String expectedKind) {
        Streamed streamed = translateEveryChunking(name, upstream, () -> translator.stream(request.get()), translator::streamDecoder, false);
        assertThat(streamed.out()).as("%s: every event is data-only", name).doesNotContain("event:");
        assertEvents(streamed.out(), read(name, expectedKind), name);
        return streamed.last();
    }

    /** The expected OpenAI bodies, chunks and errors parse into the openai-java SDK's types and pass its validation. */
    public void assertOpenAiSdkAccepts(String responseKind, String streamKind, String errorKind) throws IOException {
        JsonMapper sdk = ObjectMappers.jsonMapper();
        for (String name : cases(responseKind).toList()) {
            sdk.readValue(read(name, responseKind), ChatCompletion.class).validate();
        }
        for (String name : cases(streamKind).toList()) {
            for (SseEvent event : events(read(name, streamKind))) {
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
        for (String name : cases(errorKind).toList()) {
            sdk.treeToValue(Json.MAPPER.readTree(read(name, errorKind)).get("error"), ErrorObject.class).validate();
        }
    }

    /** What a stream case gave (the same bytes in every chunking) and the stream of the last run, for its accounting. */
    public record Streamed(String out, StreamTranslator last) {
    }

    /** Feeds {@code upstream} to a new stream from {@code streams} in each of {@link #CHUNK_SIZES}; all must give the same bytes. */
    public static Streamed translateEveryChunking(String name, byte[] upstream, Supplier<StreamTranslator> streams,
                                                  Function<Consumer<SseEvent>, EventDecoder> framing, boolean cutShortEndsWithError) {
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            StreamTranslator stream = streams.get();
            String out = translate(stream, framing, upstream, size, cutShortEndsWithError);
            if (first == null) {
                first = out;
            } else {
                assertThat(out).as("%s fed in %d-byte chunks", name, size).isEqualTo(first);
            }
            last = stream;
        }
        return new Streamed(first, last);
    }

    /** {@link #translate(StreamTranslator, Function, byte[], int, boolean)} of server-sent events, ended as the relay ends them. */
    public static String translate(StreamTranslator stream, byte[] upstream, int chunkSize) {
        return translate(stream, SseDecoder::new, upstream, chunkSize, true);
    }

    /**
     * Feeds {@code upstream}, cut into events by {@code framing}, to {@code stream} in
     * {@code chunkSize}-byte pieces, then ends it properly when it finished, else (when
     * {@code cutShortEndsWithError}) with the error event the relay sends for a stream cut short.
     */
    public static String translate(StreamTranslator stream, Function<Consumer<SseEvent>, EventDecoder> framing, byte[] upstream,
                                   int chunkSize, boolean cutShortEndsWithError) {
        Buffer out = Buffer.buffer();
        EventDecoder decoder = framing.apply(event -> stream.onEvent(event, out));
        for (int i = 0; i < upstream.length; i += chunkSize) {
            int end = (int) Math.min(upstream.length, (long) i + chunkSize);
            decoder.feed(Buffer.buffer().appendBytes(upstream, i, end - i));
        }
        decoder.end();
        if (stream.finished()) {
            stream.onEnd(out);
        } else if (cutShortEndsWithError) {
            stream.onError(UpstreamFailures.incomplete("provider local ended the stream before it finished"), out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Same events, names and (as JSON trees) data; every event ends with a blank line. */
    public static void assertEvents(String actual, String expected, String name) {
        List<SseEvent> got = events(actual);
        List<SseEvent> want = events(expected);
        assertThat(actual).as("%s: every event ends with a blank line", name).endsWith("\n\n");
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            String label = name + " event " + i;
            JsonNode wantJson = tryJson(want.get(i).data());
            if (wantJson != null) {
                assertThat(tryJson(got.get(i).data())).as("%s: %s", label, got.get(i).data()).isEqualTo(wantJson);
            } else {
                assertThat(got.get(i).data()).as(label).isEqualTo(want.get(i).data());
            }
            assertThat(got.get(i).event()).as(label).isEqualTo(want.get(i).event());
        }
        assertThat(got).as("%s: event count; got:%n%s", name, actual).hasSameSizeAs(want);
    }

    public static List<SseEvent> events(String sse) {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(events::add);
        decoder.feed(Buffer.buffer(sse));
        decoder.end();
        return events;
    }

    public static void assertJson(String actual, String expected, String label) {
        JsonNode got = tryJson(actual);
        assertThat(got).as("%s: output is JSON: %s", label, actual).isNotNull();
        assertThat(got).as("%s; got:%n%s", label, actual).isEqualTo(tryJson(expected));
    }

    /** {@code text} as a tree, or null when it is not JSON. */
    public static JsonNode tryJson(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
