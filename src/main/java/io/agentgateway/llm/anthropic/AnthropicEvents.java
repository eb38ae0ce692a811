package io.agentgateway.llm.anthropic;

import io.agentgateway.llm.openai.BufferOutputStream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChunkTranslator;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Chat chunks as Anthropic's Messages event stream ({@code event: <type>} and its {@code data:}):
 * <ul>
 *   <li>the first chunk: {@code message_start} (input tokens as the gateway estimated them);</li>
 *   <li>content: a text block ({@code content_block_start}, {@code text_delta}s);</li>
 *   <li>a tool call: the open block stopped, a {@code tool_use} block started with its id and
 *       name, argument fragments as {@code input_json_delta}s;</li>
 *   <li>the finish reason: the open block stopped;</li>
 *   <li>the end: {@code message_delta} with the stop reason and the provider's usage, then
 *       {@code message_stop};</li>
 *   <li>an error, in the stream or of it: one {@code error} event.</li>
 * </ul>
 * Written straight into the output buffer. Not thread-safe: one per stream.
 */
final class AnthropicEvents implements ChunkTranslator {
    private static final JsonFactory JSON = Json.factory();

    private final String requestedModel;
    private final long promptEstimate;
    private final BufferOutputStream sink = new BufferOutputStream(null);
    private boolean started;
    private boolean errored;
    /** Index of the open content block, or -1. */
    private int open = -1;
    private boolean openIsTool;
    private int blocks;
    private int openToolIndex = -1;
    private String finishReason;

    AnthropicEvents(String requestedModel, long promptEstimate) {
        this.requestedModel = requestedModel;
        this.promptEstimate = promptEstimate;
    }

    @Override
    public void chunk(ObjectNode chunk, Buffer out) {
        if (!started) {
            start(chunk, out);
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return; // the usage chunk: the usage is taken at the end
        }
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            if (open < 0 || openIsTool) {
                stopBlock(out);
                open = blocks++;
                openIsTool = false;
                try (JsonGenerator g = event(out, "content_block_start")) {
                    g.writeNumberField("index", open);
                    g.writeObjectFieldStart("content_block");
                    g.writeStringField("type", "text");
                    g.writeStringField("text", "");
                    g.writeEndObject();
                    end(g, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            delta(out, "text_delta", "text", content.asText());
        }
        for (JsonNode call : delta.path("tool_calls")) {
            int index = call.path("index").asInt(0);
            if (open < 0 || !openIsTool || index != openToolIndex) {
                stopBlock(out);
                open = blocks++;
                openIsTool = true;
                openToolIndex = index;
                try (JsonGenerator g = event(out, "content_block_start")) {
                    g.writeNumberField("index", open);
                    g.writeObjectFieldStart("content_block");
                    g.writeStringField("type", "tool_use");
                    g.writeStringField("id", call.path("id").asText(""));
                    g.writeStringField("name", call.path("function").path("name").asText(""));
                    g.writeObjectFieldStart("input");
                    g.writeEndObject();
                    g.writeEndObject();
                    end(g, out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String fragment = call.path("function").path("arguments").asText("");
            if (!fragment.isEmpty()) {
                delta(out, "input_json_delta", "partial_json", fragment);
            }
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual()) {
            finishReason = finish.asText();
            stopBlock(out);
        }
    }

    private void start(ObjectNode chunk, Buffer out) {
        started = true;
        String model = chunk.path("model").isTextual() && !chunk.get("model").asText().isEmpty() ? chunk.get("model").asText() : requestedModel;
        try (JsonGenerator g = event(out, "message_start")) {
            g.writeObjectFieldStart("message");
            g.writeStringField("id", AnthropicToOpenAi.messageId(chunk.path("id").asText("")));
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", model);
            g.writeArrayFieldStart("content");
            g.writeEndArray();
            g.writeNullField("stop_reason");
            g.writeNullField("stop_sequence");
            AnthropicToOpenAi.writeUsage(g, Usage.NONE, promptEstimate);
            g.writeEndObject();
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delta(Buffer out, String type, String field, String value) {
        try (JsonGenerator g = event(out, "content_block_delta")) {
            g.writeNumberField("index", open);
            g.writeObjectFieldStart("delta");
            g.writeStringField("type", type);
            g.writeStringField(field, value);
            g.writeEndObject();
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stopBlock(Buffer out) {
        if (open < 0) {
            return;
        }
        try (JsonGenerator g = event(out, "content_block_stop")) {
            g.writeNumberField("index", open);
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        open = -1;
        openToolIndex = -1;
    }

    @Override
    public void error(JsonNode error, Buffer out) {
        String type = AnthropicErrorRenderer.typeOfOpenAi(error.path("type").asText(""));
        writeError(out, type, error.path("message").asText("the provider reported an error mid-stream"));
    }

    @Override
    public void done(Usage usage, String responseModel, Buffer out) {
        if (errored) {
            return;
        }
        if (!started) {
            start(Json.MAPPER.createObjectNode(), out);
        }
        stopBlock(out);
        try (JsonGenerator g = event(out, "message_delta")) {
            g.writeObjectFieldStart("delta");
            g.writeStringField("stop_reason", AnthropicToOpenAi.stopReason(finishReason));
            g.writeNullField("stop_sequence");
            g.writeEndObject();
            AnthropicToOpenAi.writeUsage(g, usage, usage.inputTokens());
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (JsonGenerator g = event(out, "message_stop")) {
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void failed(GatewayError error, Buffer out) {
        writeError(out, AnthropicErrorRenderer.type(error.kind()), error.getMessage());
    }

    private void writeError(Buffer out, String type, String message) {
        if (errored) {
            return;
        }
        errored = true;
        try (JsonGenerator g = event(out, "error")) {
            g.writeObjectFieldStart("error");
            g.writeStringField("type", type);
            g.writeStringField("message", message);
            g.writeEndObject();
            end(g, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an event: its {@code event:} line and a data object holding its {@code type}. */
    private JsonGenerator event(Buffer out, String type) throws IOException {
        out.appendString("event: ").appendString(type).appendString("\ndata: ");
        JsonGenerator g = JSON.createGenerator(sink.target(out));
        g.writeStartObject();
        g.writeStringField("type", type);
        return g;
    }

    private static void end(JsonGenerator g, Buffer out) throws IOException {
        g.writeEndObject();
        g.flush();
        out.appendString("\n\n");
    }
}
