package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.ProviderConfig.ProviderType;
import io.agentgateway.server.GatewayError;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translators build their output from their input and never change it: every golden client
 * request, sent through the chat translator of every provider type (streamed and not, renamed
 * and not, twice as a fallback chain would), leaves the request's bytes and parsed tree exactly
 * as they were; every golden upstream answer is left as it came.
 */
class TranslatorsLeaveInputAloneTest {
    /** Every chat translator some dialect uses (Vertex AI has one per publisher), named. */
    static Map<String, ChatTranslator> translators() {
        Map<String, ChatTranslator> out = new LinkedHashMap<>();
        for (ProviderType type : ProviderDialects.supported()) {
            for (String model : new String[]{"gpt-upstream", "claude-upstream"}) {
                ChatTranslator t = ProviderDialects.of(type).chat(model);
                if (!out.containsValue(t)) {
                    out.put(t.getClass().getSimpleName() + " (" + type + ", " + model + ")", t);
                }
            }
        }
        out.put("gemini-native", ProviderDialects.geminiNative().chat("gemini-upstream"));
        return out;
    }

    static Stream<Arguments> requests() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, ChatTranslator> t : translators().entrySet()) {
            for (Path file : goldenFiles("-request.json")) {
                String name = file.getFileName().toString();
                if (name.endsWith("openai-request.json") || name.endsWith("client-request.json")) {
                    out.add(Arguments.of(t.getKey(), t.getValue(), file));
                }
            }
        }
        return out.stream();
    }

    static Stream<Arguments> answers() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, ChatTranslator> t : translators().entrySet()) {
            for (Path file : goldenFiles("-response.json")) {
                out.add(Arguments.of(t.getKey(), t.getValue(), file));
            }
        }
        return out.stream();
    }

    static List<Path> goldenFiles(String suffix) throws Exception {
        Path root = Path.of(Objects.requireNonNull(TranslatorsLeaveInputAloneTest.class.getResource("/golden")).toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("requests")
    void requestBodyLeavesTheRequestAsItWas(String name, ChatTranslator translator, Path file) throws Exception {
        for (boolean stream : new boolean[]{false, true}) {
            byte[] bytes = Files.readAllBytes(file);
            if (stream) {
                bytes = new String(bytes).replaceFirst("\\{", "{\"stream\": true,").getBytes();
            }
            byte[] sent = bytes.clone();
            ChatRequest request = ChatRequest.parse(Buffer.buffer(sent));
            JsonNode before = request.json().deepCopy();
            for (String model : new String[]{"upstream-model-a", "upstream-model-b", request.model()}) {
                try {
                    translator.requestBody(request, model);
                } catch (GatewayError refused) {
                    // a request this provider cannot take is refused; it must still be left alone
                }
                assertThat(request.json()).as("parsed tree after translating for %s", model).isEqualTo(before);
                assertThat(request.raw().getBytes()).as("request bytes").isEqualTo(bytes);
                assertThat(Arrays.equals(sent, bytes)).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("answers")
    void responseLeavesTheUpstreamBodyAsItWas(String name, ChatTranslator translator, Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Buffer upstream = Buffer.buffer(bytes.clone());
        ChatRequest request = ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        try {
            translator.response(request, upstream);
        } catch (GatewayError notThisProvidersShape) {
            // another provider's answer may not be readable here; reading it must still not change it
        }
        translator.error(500, upstream);
        assertThat(upstream.getBytes()).isEqualTo(bytes);
    }

    /** Dialects for every provider type the gateway speaks to, as configured with no key. */
    static final class ProviderDialects {
        static List<ProviderType> supported() {
            return Arrays.stream(ProviderType.values()).filter(t -> {
                try {
                    of(t);
                    return true;
                } catch (IllegalArgumentException unsupported) {
                    return false;
                }
            }).toList();
        }

        static ProviderDialect of(ProviderType type) {
            return ProviderDialect.of(new ProviderConfig("p", type, null, null, null, null, null, null, null, null, "us-east-1", null, null,
                    null, "project"), ProviderDialect.Secrets.NONE, java.time.Clock.systemUTC());
        }

        /** Gemini through its own API rather than its OpenAI-compatible one. */
        static ProviderDialect geminiNative() {
            return ProviderDialect.of(new ProviderConfig("p", ProviderType.GEMINI, null, null, null, null, null, null, null, null, null, null,
                    null, ProviderConfig.WireApi.NATIVE, null), ProviderDialect.Secrets.NONE, java.time.Clock.systemUTC());
        }
    }
}
