package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes OpenAI {@code chat.completion.chunk} server-sent events ({@code data: {...}\n\n})
 * straight into the outgoing buffer with a {@link JsonGenerator}. Every chunk of one stream
 * carries the same id, created time and model; when the client asked for the usage chunk, the
 * others carry {@code "usage": null}, as OpenAI's do. Not thread-safe: one per stream.
 */
final class OpenAiChunks {
    private static final JsonFactory JSON = Json.factory();
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long created;
    private final boolean usageField;
    private final BufferOutputStream sink = new BufferOutputStream(null);
    private String id = "";
    private String model = "";

    OpenAiChunks(long created, boolean usageField) {
        this.created = created;
        this.usageField = usageField;
    }

    void identify(String id, String model) {
        if (id != null) {
            this.id = id;
        }
        if (model != null) {
            this.model = model;
        }
    }

    /** The opening chunk: {@code delta: {"role":"assistant","content":""}}. */
    void role(Buffer out) {
        try (JsonGenerator g = open(out)) {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text fragment in {@code delta.<field>} ({@code content} or {@code reasoning_content}). */
    void text(Buffer out, String field, String text) {
        try (JsonGenerator g = open(out)) {
            g.writeStringField(field, text);
            close(g, null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first delta of a tool call: its index, id, type and name, with empty arguments. */
    void toolCallStart(Buffer out, int index, String callId, String name) {
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
    void toolCallArguments(Buffer out, int index, String fragment) {
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
    void finish(Buffer out, String finishReason) {
        try (JsonGenerator g = open(out)) {
            close(g, finishReason, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The extra usage chunk: {@code choices: []} and the usage of the whole request. */
    void usage(Buffer out, AnthropicUsage usage) {
        out.appendBytes(DATA);
        try (JsonGenerator g = JSON.createGenerator(sink.target(out))) {
            header(g);
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            usage.writeField(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.appendBytes(END);
    }

    /** An error event: {@code data: {"error":{...}}}. */
    static void error(Buffer out, String errorJson) {
        out.appendBytes(DATA).appendString(errorJson).appendBytes(END);
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
