package io.agentgateway.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import io.agentgateway.core.Usage;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Reads the few facts the gateway needs out of an OpenAI response body or stream chunk with a
 * streaming parser, without building a tree or re-serialising: the {@code usage} object, the
 * {@code model}, whether {@code choices} is empty (the extra usage chunk), how many characters of
 * content were delivered, and whether a {@code finish_reason} arrived. Parsing the whole input
 * also proves it is JSON.
 *
 * <p>Not thread-safe: one instance per body or per stream.
 */
public final class OpenAiChunkScanner {
    private static final JsonFactory JSON = Json.factory();

    /** Refuses bytes other than JSON whitespace: what may follow a document in an event's data. */
    private static final OutputStream ONLY_WHITESPACE = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                throw new IOException("trailing content after the JSON object");
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    };

    private Usage usage;
    private String model;
    private int choices;
    private long contentChars;
    private boolean finishReason;
    /** The stream's parser, fed one event's data after another ({@link #scan(SseEvent)}). */
    private JsonParser fed;

    /** Scans one JSON document; the facts of earlier calls are kept, usage and choices replaced. */
    public void scan(byte[] json, int offset, int length) throws IOException {
        scan(JSON.createParser(json, offset, length));
    }

    /** Scans one JSON document read where it lies in {@code json} (not copied out first); see {@link #scan(byte[], int, int)}. */
    public void scan(Buffer json) throws IOException {
        scan(Json.parser(json));
    }

    /** Scans one JSON document held as text, without encoding it to bytes first. */
    public void scan(String json) throws IOException {
        scan(JSON.createParser(json));
    }

    /**
     * Scans a stream event's data where it lies in the stream's bytes. One parser serves the
     * whole stream (fed each event's data in turn), so an event costs no parser, context or name
     * table of its own ({@link #close()} gives its buffers back). Data that parser refuses (not
     * JSON, bytes that are not UTF-8, trailing content) is scanned again as the text it decodes
     * to, with what the first try read undone, so the facts are those of {@link #scan(String)} on
     * {@link SseEvent#data()} in every case.
     */
    public void scan(SseEvent event) throws IOException {
        JsonParser p = fed;
        if (p == null) {
            p = JSON.createNonBlockingByteArrayParser();
            fed = p;
        }
        Usage usageBefore = usage;
        String modelBefore = model;
        long charsBefore = contentChars;
        boolean finishBefore = finishReason;
        try {
            event.feedData((ByteArrayFeeder) p.getNonBlockingInputFeeder());
            read(p);
            // The document must end with the data. The parser cannot tell trailing content from
            // the start of a next value (it waits for more), so what it has not read is checked here.
            p.releaseBuffered(ONLY_WHITESPACE);
            if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                throw new IOException("trailing content after the JSON object");
            }
        } catch (IOException | RuntimeException e) {
            // the parser is left mid-document: the next event gets a new one
            close();
            usage = usageBefore;
            model = modelBefore;
            contentChars = charsBefore;
            finishReason = finishBefore;
            scan(event.data());
        }
    }

    /**
     * The stream is over: the parser of {@link #scan(SseEvent)} gives back the buffers it took from
     * the thread's recycler (a scan after this starts a new one).
     */
    public void close() {
        if (fed != null) {
            try {
                fed.close();
            } catch (IOException e) {
                // an in-memory parser has nothing that can fail to close
            }
            fed = null;
        }
    }

    private void scan(JsonParser parser) throws IOException {
        try (JsonParser p = parser) {
            read(p);
            if (p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
        }
    }

    /** The next token; the end of the input (or of what was fed so far) inside a document is an error. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            throw new IOException("unexpected end of JSON");
        }
        return t;
    }

    /** Reads one object, to its closing brace. */
    private void read(JsonParser p) throws IOException {
        choices = 0;
        if (next(p) != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = next(p);
            switch (field) {
                case "usage" -> {
                    if (t == JsonToken.START_OBJECT) {
                        usage = readUsage(p);
                    } else {
                        p.skipChildren();
                    }
                }
                case "model" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        model = sameText(p, model) ? model : p.getText();
                    }
                }
                case "choices" -> {
                    if (t == JsonToken.START_ARRAY) {
                        readChoices(p);
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("not a JSON object");
        }
    }

    /** Whether the string token is {@code text} (every chunk of a stream names the same model: read once). */
    private static boolean sameText(JsonParser p, String text) throws IOException {
        if (text == null || p.getTextLength() != text.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        for (int i = 0; i < text.length(); i++) {
            if (chars[offset + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void readChoices(JsonParser p) throws IOException {
        while (next(p) == JsonToken.START_OBJECT) {
            choices++;
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = next(p);
                if ((field.equals("delta") || field.equals("message")) && t == JsonToken.START_OBJECT) {
                    readDelta(p);
                } else if (field.equals("finish_reason") && t == JsonToken.VALUE_STRING) {
                    finishReason = true;
                } else if (field.equals("text") && t == JsonToken.VALUE_STRING) {
                    // a legacy text completion's choice
                    contentChars += p.getTextLength();
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** Counts content, reasoning and tool-call argument characters: what the model generated. */
    private void readDelta(JsonParser p) throws IOException {
        int depth = 1;
        while (depth > 0) {
            switch (next(p)) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> {
                    String name = p.currentName();
                    if ("content".equals(name) || "arguments".equals(name) || "reasoning_content".equals(name)
                            || "refusal".equals(name)) {
                        contentChars += p.getTextLength();
                    }
                }
                default -> {
                }
            }
        }
    }

    private static Usage readUsage(JsonParser p) throws IOException {
        long prompt = 0;
        long completion = 0;
        long total = -1;
        long cached = 0;
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = next(p);
            switch (field) {
                case "prompt_tokens", "input_tokens" -> prompt = p.getValueAsLong(0);
                case "completion_tokens", "output_tokens" -> completion = p.getValueAsLong(0);
                case "total_tokens" -> total = p.getValueAsLong(0);
                case "prompt_tokens_details", "input_tokens_details" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (next(p) == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            next(p);
                            if (f.equals("cached_tokens")) {
                                cached = p.getValueAsLong(0);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new Usage(prompt, completion, total < 0 ? prompt + completion : total, cached, false);
    }

    public Usage usage() {
        return usage;
    }

    public String model() {
        return model;
    }

    /** Choices in the last document scanned. */
    public int choices() {
        return choices;
    }

    public long contentChars() {
        return contentChars;
    }

    public boolean sawFinishReason() {
        return finishReason;
    }
}
