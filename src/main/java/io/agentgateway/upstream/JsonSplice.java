package io.agentgateway.upstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes a few members of a JSON object by splicing new value bytes into the original bytes, so
 * everything the gateway does not have to change reaches the upstream exactly as the client sent
 * it: number spellings ({@code 2.50}, {@code 1e3}), escapes ({@code \u00e9}), member order and
 * whitespace. The positions come from one pass of Jackson's streaming parser (token byte offsets);
 * no tree is built and nothing is re-serialized.
 *
 * <p>Usage: {@code JsonSplice.of(body).put("model", JsonSplice.string("gpt-4o")).putIn("stream_options",
 * "include_usage", "true").apply()}. {@link #put} replaces a top-level member's value or, when the
 * member is absent, appends it before the object's closing brace. {@link #putIn} does the same one
 * level down and creates the containing object when it is absent or not an object. Values are given
 * as JSON text and inserted as is: the caller makes them valid ({@link #string} quotes a string).
 * When the body names a member twice, every occurrence is replaced (a parser keeping either one
 * then reads the new value). {@link #apply} returns the original buffer when no edit was made.
 *
 * <p>The body must be a JSON object already checked by a parse (a request body the flow parsed); a
 * body that is not is refused with a 400. Not thread-safe: one per body, used once.
 */
public final class JsonSplice {
    private record Edit(String object, String field, String value) {
    }

    /** A byte range of the original and what replaces it. */
    private record Patch(int start, int end, String text) {
    }

    private final Buffer original;
    private final List<Edit> edits = new ArrayList<>(2);

    private JsonSplice(Buffer original) {
        this.original = original;
    }

    public static JsonSplice of(Buffer json) {
        return new JsonSplice(json);
    }

    /** {@code value} as a JSON string literal. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Sets top-level member {@code field} to the JSON text {@code value}. */
    public JsonSplice put(String field, String value) {
        edits.add(new Edit(null, field, value));
        return this;
    }

    /** Sets member {@code field} of the top-level member object {@code object} to the JSON text {@code value}. */
    public JsonSplice putIn(String object, String field, String value) {
        edits.add(new Edit(object, field, value));
        return this;
    }

    /** The body with every edit applied; the original buffer itself when there are none. */
    public Buffer apply() {
        if (edits.isEmpty()) {
            return original;
        }
        List<Patch> patches = new ArrayList<>(edits.size() + 1);
        // read where the body lies (no copy of it: a chat's messages can be most of a megabyte)
        try (JsonParser p = Json.parser(original)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw GatewayError.invalid("the request body must be a JSON object", null);
            }
            boolean[] seen = new boolean[edits.size()];
            boolean empty = true;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                empty = false;
                String name = p.currentName();
                p.nextToken();
                int start = offset(p.currentTokenLocation().getByteOffset());
                boolean isObject = p.currentToken() == JsonToken.START_OBJECT;
                List<Integer> inner = null;
                for (int i = 0; i < edits.size(); i++) {
                    Edit e = edits.get(i);
                    if (e.object() == null && e.field().equals(name)) {
                        seen[i] = true;
                    } else if (name.equals(e.object())) {
                        seen[i] = true;
                        if (isObject) {
                            inner = inner == null ? new ArrayList<>(1) : inner;
                            inner.add(i);
                        }
                    }
                }
                if (inner != null) {
                    member(p, inner, patches);
                    continue;
                }
                skipValue(p);
                int end = offset(p.currentLocation().getByteOffset());
                for (Edit e : edits) {
                    if (name.equals(e.object())) {
                        // present but not an object: replaced by one holding the edits for it
                        patches.add(new Patch(start, end, objectOf(e.object(), edits)));
                        break;
                    }
                    if (e.object() == null && e.field().equals(name)) {
                        patches.add(new Patch(start, end, e.value()));
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw GatewayError.invalid("the request body is not a complete JSON object", null);
            }
            int close = offset(p.currentTokenLocation().getByteOffset());
            StringBuilder appended = new StringBuilder();
            List<String> created = new ArrayList<>(1);
            for (int i = 0; i < edits.size(); i++) {
                Edit e = edits.get(i);
                if (seen[i] || e.object() != null && created.contains(e.object())) {
                    continue;
                }
                appended.append(empty && appended.isEmpty() ? "" : ",");
                if (e.object() == null) {
                    appended.append(string(e.field())).append(':').append(e.value());
                } else {
                    created.add(e.object());
                    appended.append(string(e.object())).append(':').append(objectOf(e.object(), edits));
                }
            }
            if (!appended.isEmpty()) {
                patches.add(new Patch(close, close, appended.toString()));
            }
        } catch (IOException e) {
            throw GatewayError.invalid("the request body is not valid JSON: " + e.getMessage(), null);
        }
        return splice(original, patches);
    }

    /** Inside member object {@code p} (at its START_OBJECT): replaces or appends the edits numbered {@code inner}. */
    private void member(JsonParser p, List<Integer> inner, List<Patch> patches) throws IOException {
        boolean[] seen = new boolean[inner.size()];
        boolean empty = true;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            empty = false;
            String name = p.currentName();
            p.nextToken();
            int start = offset(p.currentTokenLocation().getByteOffset());
            skipValue(p);
            int end = offset(p.currentLocation().getByteOffset());
            for (int k = 0; k < inner.size(); k++) {
                Edit e = edits.get(inner.get(k));
                if (e.field().equals(name)) {
                    seen[k] = true;
                    patches.add(new Patch(start, end, e.value()));
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unterminated object");
        }
        int close = offset(p.currentTokenLocation().getByteOffset());
        StringBuilder appended = new StringBuilder();
        for (int k = 0; k < inner.size(); k++) {
            if (!seen[k]) {
                Edit e = edits.get(inner.get(k));
                appended.append(empty && appended.isEmpty() ? "" : ",").append(string(e.field())).append(':').append(e.value());
            }
        }
        if (!appended.isEmpty()) {
            patches.add(new Patch(close, close, appended.toString()));
        }
    }

    /** Moves past the current value, reading a string to its end so the location after it is exact. */
    private static void skipValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else if (t == JsonToken.VALUE_STRING) {
            p.finishToken();
        }
    }

    private static String objectOf(String object, List<Edit> edits) {
        StringBuilder out = new StringBuilder().append('{');
        for (Edit e : edits) {
            if (object.equals(e.object())) {
                out.append(out.length() > 1 ? "," : "").append(string(e.field())).append(':').append(e.value());
            }
        }
        return out.append('}').toString();
    }

    private static int offset(long byteOffset) throws IOException {
        if (byteOffset < 0 || byteOffset > Integer.MAX_VALUE) {
            throw new IOException("no byte position");
        }
        return (int) byteOffset;
    }

    private static Buffer splice(Buffer original, List<Patch> patches) {
        patches.sort((a, b) -> a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(a.end(), b.end()));
        Buffer out = Buffer.buffer(original.length() + 64);
        int at = 0;
        for (Patch patch : patches) {
            if (patch.start() < at) {
                continue;
            }
            out.appendBuffer(original, at, patch.start() - at).appendString(patch.text());
            at = patch.end();
        }
        return out.appendBuffer(original, at, original.length() - at);
    }
}
