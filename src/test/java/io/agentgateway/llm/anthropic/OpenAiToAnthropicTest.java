package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the golden cases do not show: refused requests, unreadable answers, odd streams. */
class OpenAiToAnthropicTest {
    private final OpenAiToAnthropic translator = new OpenAiToAnthropic(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @Test
    void invalidToolArgumentsAreA400NamingTheParameter() {
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"hi"},
                  {"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\": 1"}}]}]}
                """, "messages[1].tool_calls[0].function.arguments", "not valid JSON");
    }

    @Test
    void toolArgumentsThatAreNotAnObjectAreA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}}]}]}
                """, "messages[0].tool_calls[0].function.arguments", "must be a JSON object");
    }

    @Test
    void moreThanOneChoiceIsA400() {
        assertRefused("""
                {"model":"m","n":2,"messages":[{"role":"user","content":"hi"}]}
                """, "n", "'n' must be 1");
    }

    @Test
    void toolCallWithoutIdIsA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}
                """, "messages[0].tool_calls[0].id", "required");
    }

    @Test
    void toolMessageWithoutToolCallIdIsA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"tool","content":"x"}]}
                """, "messages[0].tool_call_id", "required");
    }

    @Test
    void unknownRoleIsA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"robot","content":"x"}]}
                """, "messages[0].role", "'robot'");
    }

    @Test
    void audioInputIsA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]}
                """, "messages[0].content[0].type", "input_audio");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com/a.png | base64 data: URL",
            "data:image/png,notbase64 | base64 data: URL",
            "data:image/png;base64 | no comma",
            "data:;base64,AAAA | names no media type",
            "data:image/bmp;base64,Qk0= | image/bmp",
    })
    void unusableImagesAreA400(String url, String message) {
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"%s"}}]}]}
                """.formatted(url), "messages[0].content[0].image_url.url", message);
    }

    @Test
    void nonFunctionToolsAndLegacyFunctionsAreA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"custom","custom":{"name":"x"}}]}
                """, "tools[0].type", "only function tools");
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"functions":[{"name":"x"}]}
                """, "functions", "use 'tools'");
    }

    @Test
    void badToolChoiceAndStopAreA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"always"}
                """, "tool_choice", "'always'");
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"stop":["a",3]}
                """, "stop[1]", "must be a string");
        assertRefused("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"}
                """, "temperature", "must be a number");
    }

    @Test
    void aConversationWithoutTurnsIsA400() {
        assertRefused("""
                {"model":"m","messages":[{"role":"system","content":"be nice"},{"role":"user","content":""}]}
                """, "messages", "at least one");
    }

    @Test
    void toolResultsComeFirstInTheirTurnWhateverTheClientsOrder() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer("""
                {"model":"m","messages":[
                  {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                  {"role":"user","content":"by the way"},
                  {"role":"tool","tool_call_id":"t1","content":"done"}]}"""));
        JsonNode body = Json.parse(translator.requestBody(request, "claude-x"));
        assertThat(body.at("/messages/1/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(body.at("/messages/1/content/1/text").asText()).isEqualTo("by the way");
    }

    @Test
    void theRequestTreeIsLeftAsItWas() {
        String body = """
                {"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"x"}],"stream":true,
                 "stream_options":{"include_usage":true},"n":1}""";
        ChatRequest request = ChatRequest.parse(Buffer.buffer(body));
        JsonNode before = request.json().deepCopy();
        translator.requestBody(request, "claude-x");
        assertThat(request.json()).isEqualTo(before);
    }

    @Test
    void anUpstreamBodyThatIsNotJsonIsA502() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        for (String body : new String[] {"<html>oops</html>", "", "[1,2]"}) {
            assertThatThrownBy(() -> translator.response(request, Buffer.buffer(body)))
                    .isInstanceOfSatisfying(GatewayError.class, e -> {
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
                        assertThat(e.code()).isEqualTo("upstream_invalid_response");
                    });
        }
    }

    @Test
    void anAnswerWithoutUsageCountsNothing() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        var response = translator.response(request, Buffer.buffer("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}]}"));
        assertThat(response.usage()).isEqualTo(Usage.NONE);
        JsonNode body = Json.parse(response.body());
        assertThat(body.has("usage")).isFalse();
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("created").asLong()).isZero();
    }

    @Test
    void aStreamThatNeverStartedEstimatesThePromptFromTheRequest() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer(
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"How many pods are running?\"}]}"));
        StreamTranslator stream = translator.stream(request);
        Buffer out = Buffer.buffer();
        stream.onEvent(new SseEvent(null, "not json", Buffer.buffer()), out);
        stream.onEvent(new SseEvent("ping", "", Buffer.buffer()), out);
        assertThat(out.length()).isZero();
        assertThat(stream.finished()).isFalse();
        Usage usage = stream.usage();
        assertThat(usage.estimated()).isTrue();
        assertThat(usage.inputTokens()).isEqualTo(request.estimatePromptTokens());
        assertThat(usage.outputTokens()).isZero();
        assertThat(stream.responseModel()).isNull();
    }

    @Test
    void eventsAreRecognisedByTheirDataTypeEvenWithoutAnEventLine() {
        ChatRequest request = ChatRequest.parse(Buffer.buffer("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
        StreamTranslator stream = translator.stream(request);
        Buffer out = Buffer.buffer();
        stream.onEvent(new SseEvent(null, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
                Buffer.buffer()), out);
        stream.onEvent(new SseEvent(null, "{\"type\":\"message_stop\"}", Buffer.buffer()), out);
        stream.onEnd(out);
        // no message_start: the role chunk still comes first, and a finish chunk before the end
        assertThat(out.toString()).containsSubsequence("\"role\":\"assistant\"", "\"content\":\"a\"", "\"finish_reason\":\"stop\"",
                "data: [DONE]\n\n");
        assertThat(stream.finished()).isTrue();
    }

    private void assertRefused(String body, String param, String messagePart) {
        ChatRequest request = ChatRequest.parse(Buffer.buffer(body));
        assertThatThrownBy(() -> translator.requestBody(request, "claude-x"))
                .isInstanceOfSatisfying(GatewayError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }
}
