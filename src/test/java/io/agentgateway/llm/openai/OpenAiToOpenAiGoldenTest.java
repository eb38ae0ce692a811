package io.agentgateway.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
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

    static Path dir() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(OpenAiToOpenAiGoldenTest.class.getResource("/golden/openai-to-openai")).toURI());
    }

    static Stream<String> cases(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("." + suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length() - 1)).sorted().toList().stream();
        }
    }

    static Stream<String> requestCases() throws Exception {
        return cases("upstream-request.json");
    }

    static Stream<String> streamCases() throws Exception {
        return cases("upstream-stream.txt");
    }

    static Stream<String> errorCases() throws Exception {
        return cases("upstream-error.txt");
    }

    static String read(String name) throws IOException, URISyntaxException {
        return Files.readString(dir().resolve(name));
    }

    static ChatRequest request(String c) throws Exception {
        return ChatRequest.parse(Buffer.buffer(read(c + ".client-request.json")));
    }

    @ParameterizedTest
    @MethodSource("requestCases")
    void requestGoesUpstreamAsExpected(String c) throws Exception {
        Buffer body = OpenAiToOpenAi.INSTANCE.requestBody(request(c), UPSTREAM_MODEL);
        assertThat(JSON.readTree(body.getBytes())).isEqualTo(JSON.readTree(read(c + ".upstream-request.json")));
    }

    @ParameterizedTest
    @MethodSource("streamCases")
    void streamReachesTheClientAsExpected(String c) throws Exception {
        byte[] upstream = read(c + ".upstream-stream.txt").getBytes();
        String expected = read(c + ".client-stream.txt");
        for (int size : new int[]{1, 7, 64, upstream.length}) {
            ChatRequest request = request(c);
            StreamTranslator t = OpenAiToOpenAi.INSTANCE.stream(request);
            Buffer out = Buffer.buffer();
            SseDecoder decoder = new SseDecoder(e -> t.onEvent(e, out));
            for (int i = 0; i < upstream.length; i += size) {
                decoder.feed(Buffer.buffer().appendBytes(upstream, i, Math.min(size, upstream.length - i)));
            }
            decoder.end();
            if (t.finished()) {
                t.onEnd(out);
            }
            assertThat(out.toString()).as("chunk size %d", size).isEqualTo(expected);
            if (Files.exists(dir().resolve(c + ".accounting.json"))) {
                JsonNode accounting = JSON.readTree(read(c + ".accounting.json"));
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
        String raw = read(c + ".upstream-error.txt");
        int status = Integer.parseInt(raw.substring(5, raw.indexOf('\n')));
        Buffer body = Buffer.buffer(raw.substring(raw.indexOf("\n\n") + 2));
        assertThat(JSON.readTree(OpenAiToOpenAi.INSTANCE.error(status, body).getBytes()))
                .isEqualTo(JSON.readTree(read(c + ".client-error.json")));
    }
}
