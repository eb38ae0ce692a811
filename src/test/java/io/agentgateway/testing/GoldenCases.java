package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One directory of golden-file cases for a translator pair, {@code <case>.<kind>} each, and the
 * comparisons the golden tests share: JSON as trees, event streams event by event (each
 * {@code data:} payload as a tree), streams fed in several chunk sizes, the accounting
 * ({@code accounting.json}: usage and response model) and the 400 a request is refused with
 * ({@code error.json}: status, param, message).
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

    /** Compares with the case's {@code accounting.json}, when it has one. */
    public void assertAccounting(String name, Usage usage, String model) {
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
        assertJson(got.toString(), read(name, "accounting.json"), name + " accounting");
    }

    /**
     * Feeds {@code upstream} to {@code stream} in {@code chunkSize}-byte pieces, then ends it as the
     * relay does: properly when it finished, else with the error event for a stream cut short.
     */
    public static String translate(StreamTranslator stream, byte[] upstream, int chunkSize) {
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
