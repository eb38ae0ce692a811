package io.agentgateway.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentgateway.core.Usage;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

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

    private Usage usage;
    private String model;
    private int choices;
    private long contentChars;
    private boolean finishReason;

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

    /** Scans a stream event's data where it lies in the stream's bytes ({@link SseEvent#dataParser()}). */
    public void scan(SseEvent event) throws IOException {
        scan(event.dataParser());
    }

    private void scan(JsonParser parser) throws IOException {
        choices = 0;
        try (JsonParser p = parser) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
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
                            model = p.getText();
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
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("trailing content after the JSON object");
            }
        }
    }

    private void readChoices(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            choices++;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
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
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("unexpected end of JSON");
            }
            switch (t) {
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
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "prompt_tokens", "input_tokens" -> prompt = p.getValueAsLong(0);
                case "completion_tokens", "output_tokens" -> completion = p.getValueAsLong(0);
                case "total_tokens" -> total = p.getValueAsLong(0);
                case "prompt_tokens_details", "input_tokens_details" -> {
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            p.nextToken();
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
