package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.agentgateway.core.Usage;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;

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

/**
 * One folder of golden files for a translator pair ({@code golden/<pair>/}), files named
 * {@code <case>.<kind>}, and the checks every pair's golden test makes of them: JSON compared as
 * trees, OpenAI streams event by event (each {@code data:} payload as a tree), a stream fed in
 * several chunk sizes giving the same bytes each time, the accounting ({@code accounting.json}:
 * usage, response model, whether a stream finished) and that every expected output is what the
 * openai-java SDK accepts.
 */
public final class GoldenCases {
    private static final int[] CHUNK_SIZES = {1, 7, 64, Integer.MAX_VALUE};
    private final Path dir;

    public GoldenCases(String pair) {
        try {
            this.dir = Path.of(Objects.requireNonNull(GoldenCases.class.getResource("/golden/" + pair)).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The cases that have a file of {@code kind}. */
    public Stream<String> cases(String kind) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + kind))
                    .map(n -> n.substring(0, n.length() - kind.length() - 1)).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    public ChatRequest request(String name) {
        return ChatRequest.parse(Buffer.buffer(read(name, "openai-request.json")));
    }

    public void assertJson(Buffer actual, String name, String kind) {
        assertThat(Json.parse(actual)).as("%s.%s; got %s", name, kind, actual).isEqualTo(Json.parse(Buffer.buffer(read(name, kind))));
    }

    /** Feeds {@code upstream} through a new stream of {@code translator} in several chunk sizes; all must agree. */
    public StreamTranslator assertStream(ChatTranslator translator, String name, byte[] upstream, String expectedKind) {
        String first = null;
        StreamTranslator last = null;
        for (int size : CHUNK_SIZES) {
            StreamTranslator stream = translator.stream(request(name));
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
        List<SseEvent> want = events(read(name, expectedKind));
        for (int i = 0; i < Math.min(got.size(), want.size()); i++) {
            JsonNode wantJson = tryJson(want.get(i).data());
            if (wantJson == null) {
                assertThat(got.get(i).data()).as("%s event %d", name, i).isEqualTo(want.get(i).data());
            } else {
                assertThat(tryJson(got.get(i).data())).as("%s event %d: %s", name, i, got.get(i).data()).isEqualTo(wantJson);
            }
        }
        assertThat(got).as("%s: event count; got:%n%s", name, first).hasSameSizeAs(want);
        return last;
    }

    /** Checks {@code <case>.accounting.json} when the case has one; {@code finished} null for a whole answer. */
    public void assertAccounting(String name, Usage usage, String model, Boolean finished) {
        if (!Files.exists(dir.resolve(name + ".accounting.json"))) {
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

    /** Every file is of a known kind (a misnamed one would otherwise be skipped without a word). */
    public void assertKinds(List<String> kinds) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String fileName = file.getFileName().toString();
                assertThat(kinds).as("kind of %s", fileName).anyMatch(k -> fileName.endsWith("." + k));
            }
        }
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

    /** An error case: {@code HTTP <status>}, a blank line, the body, translated by {@code translator}. */
    public Buffer translateError(ChatTranslator translator, String name, String kind) {
        String raw = read(name, kind);
        int split = raw.indexOf("\n\n");
        int status = Integer.parseInt(raw.substring(0, split).replace("HTTP", "").trim());
        return translator.error(status, Buffer.buffer(raw.substring(split + 2)));
    }

    public static List<SseEvent> events(String sse) {
        List<SseEvent> events = new ArrayList<>();
        SseDecoder decoder = new SseDecoder(events::add);
        decoder.feed(Buffer.buffer(sse));
        decoder.end();
        return events;
    }

    public static JsonNode tryJson(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }
}
