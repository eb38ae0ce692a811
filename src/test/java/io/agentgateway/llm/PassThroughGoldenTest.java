package io.agentgateway.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.anthropic.AnthropicToAnthropic;
import io.agentgateway.llm.responses.ResponsesToResponses;
import io.agentgateway.server.Json;
import io.agentgateway.testing.GoldenCases;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pass-through pairs, {@code golden/responses-to-responses/} (OpenAI Responses to a provider
 * serving it) and {@code golden/anthropic-to-anthropic/} (Messages to Anthropic): a
 * {@code <case>.stream.txt} reaches the client byte for byte (a stream cut short followed only by
 * the error event), a {@code <case>.response.json} unchanged, and both are accounted as the
 * case's {@code accounting.json} says (the usage the provider reported, or for a stream cut short
 * the estimate: the prompt as the gateway counted it — {@value #PROMPT_ESTIMATE} here — or as
 * the provider's first event said, and the delivered text at four characters a token).
 */
class PassThroughGoldenTest {
    private static final long PROMPT_ESTIMATE = 20;

    record Pair(String dir, LongFunction<StreamTranslator> stream, Function<Buffer, TranslatedResponse> response) {
        GoldenCases cases() {
            return GoldenCases.of("/golden/" + dir);
        }

        @Override
        public String toString() {
            return dir;
        }
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("responses-to-responses", ResponsesToResponses::stream, ResponsesToResponses::response),
            new Pair("anthropic-to-anthropic", AnthropicToAnthropic::stream, AnthropicToAnthropic::response));

    static Stream<Object[]> streamCases() {
        return PAIRS.stream().flatMap(p -> p.cases().cases("stream.txt").map(c -> new Object[]{p, c}));
    }

    static Stream<Object[]> responseCases() {
        return PAIRS.stream().flatMap(p -> p.cases().cases("response.json").map(c -> new Object[]{p, c}));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streamCases")
    void stream(Pair pair, String name) {
        GoldenCases cases = pair.cases();
        String upstream = cases.read(name, "stream.txt");
        for (int size : GoldenCases.CHUNK_SIZES) {
            StreamTranslator stream = pair.stream().apply(PROMPT_ESTIMATE);
            String out = GoldenCases.translate(stream, upstream.getBytes(StandardCharsets.UTF_8), size);
            assertThat(out).as("%s fed in %d-byte chunks", name, size).startsWith(upstream);
            if (stream.finished()) {
                assertThat(out).as(name).isEqualTo(upstream);
            } else {
                assertThat(GoldenCases.events(out.substring(upstream.length()))).as("%s: one error event", name)
                        .singleElement().satisfies(e -> assertThat(e.event()).isEqualTo("error"));
            }
            ObjectNode accounting = (ObjectNode) GoldenCases.tryJson(cases.read(name, "accounting.json"));
            assertThat(stream.finished()).as(name).isEqualTo(accounting.path("finished").asBoolean());
            accounting.remove("finished");
            GoldenCases.assertJson(Json.MAPPER.createObjectNode()
                    .put("input_tokens", stream.usage().inputTokens())
                    .put("output_tokens", stream.usage().outputTokens())
                    .put("total_tokens", stream.usage().totalTokens())
                    .put("cached_input_tokens", stream.usage().cachedInputTokens())
                    .put("estimated", stream.usage().estimated())
                    .put("response_model", stream.responseModel()).toString(), accounting.toString(), name);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("responseCases")
    void response(Pair pair, String name) {
        GoldenCases cases = pair.cases();
        Buffer body = Buffer.buffer(cases.read(name, "response.json"));
        TranslatedResponse answer = pair.response().apply(body);
        assertThat(answer.body()).as("passed as it came").isSameAs(body);
        cases.assertAccounting(name, answer.usage(), answer.responseModel());
    }

    @Test
    void everyCaseIsAccounted() {
        for (Pair pair : PAIRS) {
            GoldenCases cases = pair.cases();
            cases.assertKinds(List.of("stream.txt", "response.json", "accounting.json"));
            cases.assertOutputs("stream.txt", "accounting.json");
            cases.assertOutputs("response.json", "accounting.json");
        }
    }
}
