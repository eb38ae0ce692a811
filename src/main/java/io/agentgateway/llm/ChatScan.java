package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.agentgateway.server.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of a streaming parser over a chat-completions body, keeping what {@link ChatRequest}
 * checks and reads and nothing else. Each fact is that of the member's last occurrence (what a
 * tree keeps when a body names a member twice) and is read the way Jackson's tree would read it
 * ({@code canConvertToInt}/{@code asInt}, {@code asBoolean}), so the request behaves as it did when
 * it was parsed into a tree. Every string is decoded (not skipped), so a bad escape or byte fails
 * here as it fails a tree parse. Not thread-safe: one per parse.
 */
final class ChatScan {
    /** A number member absent, not a number, or out of an int's range. */
    static final long NOT_INT = Long.MIN_VALUE;

    JsonToken modelKind;
    String model;
    JsonToken messagesKind;
    /** Per message of the last {@code messages} array: its text and tool calls as the token estimate reads them. */
    List<String> messageTexts = List.of();
    /** The first message that is not an object or has no string role, or -1. */
    int badMessage = -1;
    JsonToken badMessageKind;
    JsonToken streamKind;
    boolean includeUsage;
    long maxCompletionTokens = NOT_INT;
    long maxTokens = NOT_INT;
    /** {@code tools} as compact JSON, or null when absent. */
    String tools;

    /** Reads the members of the top-level object, the parser at its START_OBJECT. */
    void object(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "model" -> {
                    modelKind = v;
                    model = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    skip(p);
                }
                case "messages" -> messages(p, v);
                case "stream" -> {
                    streamKind = v;
                    skip(p);
                }
                case "stream_options" -> streamOptions(p, v);
                case "max_completion_tokens" -> maxCompletionTokens = intValue(p, v);
                case "max_tokens" -> maxTokens = intValue(p, v);
                // Counted as its compact JSON, the way the estimate always has.
                case "tools" -> tools = p.readValueAsTree().toString();
                default -> skip(p);
            }
        }
    }

    private void messages(JsonParser p, JsonToken v) throws IOException {
        messagesKind = v;
        badMessage = -1;
        badMessageKind = null;
        messageTexts = List.of();
        if (v != JsonToken.START_ARRAY) {
            skip(p);
            return;
        }
        List<String> texts = new ArrayList<>(4);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int i = texts.size();
            if (t != JsonToken.START_OBJECT) {
                bad(i, t);
                skip(p);
                texts.add("");
            } else {
                texts.add(message(p, i));
            }
        }
        messageTexts = texts;
    }

    private void bad(int i, JsonToken kind) {
        if (badMessage < 0) {
            badMessage = i;
            badMessageKind = kind;
        }
    }

    /** One message object: its role checked, its text for the estimate (content, then tool calls as JSON). */
    private String message(JsonParser p, int i) throws IOException {
        JsonToken role = null;
        String content = null;
        String calls = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "role" -> {
                    role = v;
                    skip(p);
                }
                case "content" -> content = content(p, v);
                case "tool_calls" -> calls = p.readValueAsTree().toString();
                default -> skip(p);
            }
        }
        if (role != JsonToken.VALUE_STRING) {
            bad(i, JsonToken.START_OBJECT);
        }
        if (calls == null) {
            return content == null ? "" : content;
        }
        return content == null ? calls : content + calls;
    }

    /** A string's text; the {@code text} of each part of an array, each followed by a newline; null for anything else. */
    private static String content(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v != JsonToken.START_ARRAY) {
            skip(p);
            return null;
        }
        StringBuilder out = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                skip(p);
                continue;
            }
            String text = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isText = p.currentName().equals("text");
                JsonToken pt = p.nextToken();
                if (isText) {
                    text = pt == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                skip(p);
            }
            if (text != null) {
                out = out == null ? new StringBuilder(text.length() + 16) : out;
                out.append(text).append('\n');
            }
        }
        return out == null ? "" : out.toString();
    }

    private void streamOptions(JsonParser p, JsonToken v) throws IOException {
        includeUsage = false;
        if (v != JsonToken.START_OBJECT) {
            skip(p);
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean isIncludeUsage = p.currentName().equals("include_usage");
            JsonToken t = p.nextToken();
            if (isIncludeUsage) {
                includeUsage = asBoolean(p, t);
            }
            skip(p);
        }
    }

    /** {@code JsonNode.asBoolean(false)} of the value: true, a non-zero integer, or the string "true". */
    private static boolean asBoolean(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_STRING -> "true".equals(p.getText().trim());
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue().signum() != 0 : p.getLongValue() != 0;
            default -> false;
        };
    }

    /** {@code JsonNode.canConvertToInt()} then {@code asInt()} of the value, or {@link #NOT_INT}. */
    private static long intValue(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : NOT_INT;
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : NOT_INT;
        }
        skip(p);
        return NOT_INT;
    }

    /**
     * Moves to the last token of the current value, decoding every string on the way so that
     * what a tree parse refuses is refused here too.
     */
    static void skip(JsonParser p) throws IOException {
        Json.skip(p, false);
    }
}
