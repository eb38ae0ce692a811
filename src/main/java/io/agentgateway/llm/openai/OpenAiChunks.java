package io.agentgateway.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes OpenAI {@code chat.completion.chunk} server-sent events ({@code data: {...}\n\n})
 * straight into the outgoing buffer with a {@link JsonGenerator}. Every chunk of one stream
 * carries the same id, created time and model; when the client asked for the usage chunk, the
 * others carry {@code "usage": null}, as OpenAI's do. Shared by the translators from providers
 * whose streams are not OpenAI's. Not thread-safe: one per stream.
 */
public final class OpenAiChunks {
    private static final JsonFactory JSON = Json.factory();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long created;
    private final boolean usageField;
    private final BufferOutputStream sink = new BufferOutputStream(null);
    private String id = "";
    private String model = "";

    public OpenAiChunks(long created, boolean usageField) {
        this.created = created;
        this.usageField = usageField;
    }

    public void identify(String id, String model) {
        if (id != null) {
            this.id = id;
        }
        if (model != null) {
            this.model = model;
        }
    }

    /** The opening chunk: {@code delta: {"role":"assistant","content":""}}. */
    public void role(Buffer out) {
        try (JsonGenerator g = open(out)) {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text fragment in {@code delta.<field>} ({@code content} or {@code reasoning_content}). */
    public void text(Buffer out, String field, String text) {
        try (JsonGenerator g = open(out)) {
            g.writeStringField(field, text);
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first delta of a tool call: its index, id, type and name, with empty arguments. */
    public void toolCallStart(Buffer out, int index, String callId, String name) {
        try (JsonGenerator g = open(out)) {
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeStringField("id", callId);
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", name);
            g.writeStringField("arguments", "");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fragment of a tool call's JSON arguments. */
    public void toolCallArguments(Buffer out, int index, String fragment) {
        try (JsonGenerator g = open(out)) {
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("function");
            g.writeStringField("arguments", fragment);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chunk with an empty delta and the finish reason. */
    public void finish(Buffer out, String finishReason) {
        try (JsonGenerator g = open(out)) {
            close(g, finishReason, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The extra usage chunk: {@code choices: []} and the usage of the whole request. */
    public void usage(Buffer out, Usage usage) {
        out.appendBytes(DATA);
        try (JsonGenerator g = JSON.createGenerator(sink.target(out))) {
            header(g);
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            writeUsage(g, usage);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.appendBytes(END);
    }

    /** An error event: {@code data: {"error":{...}}}. */
    public static void error(Buffer out, String errorJson) {
        out.appendBytes(DATA).appendString(errorJson).appendBytes(END);
    }

    /** Writes OpenAI's {@code "usage": {...}} field: the prompt includes cached tokens, which are also given apart. */
    public static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", usage.inputTokens());
        g.writeNumberField("completion_tokens", usage.outputTokens());
        g.writeNumberField("total_tokens", usage.inputTokens() + usage.outputTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", usage.cachedInputTokens());
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * Writes one complete tool call of a chat completion's message: its id, type {@code function},
     * the function's name and its arguments as a JSON string ({@code {}} when there are none).
     */
    public static void writeToolCall(JsonGenerator g, String id, String name, JsonNode arguments) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", name);
        g.writeStringField("arguments", arguments == null || arguments.isNull() ? "{}" : Json.MAPPER.writeValueAsString(arguments));
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Starts a chunk up to the inside of {@code choices[0].delta}. */
    private JsonGenerator open(Buffer out) throws IOException {
        out.appendBytes(DATA);
        JsonGenerator g = JSON.createGenerator(sink.target(out));
        header(g);
        g.writeArrayFieldStart("choices");
        g.writeStartObject();
        g.writeNumberField("index", 0);
        g.writeObjectFieldStart("delta");
        return g;
    }

    /** Ends the delta, the choice and the chunk; the generator's close flushes it into {@code out}. */
    private void close(JsonGenerator g, String finishReason, Buffer out) throws IOException {
        g.writeEndObject();
        g.writeNullField("logprobs");
        g.writeStringField("finish_reason", finishReason);
        g.writeEndObject();
        g.writeEndArray();
        if (usageField) {
            g.writeNullField("usage");
        }
        g.writeEndObject();
        g.flush();
        out.appendBytes(END);
    }

    private void header(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", id);
        g.writeStringField("object", "chat.completion.chunk");
        g.writeNumberField("created", created);
        g.writeStringField("model", model);
    }
}
