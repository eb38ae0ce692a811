package io.agentgateway.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Jackson;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper ({@link Jackson}) for wire bodies, and the request-body parse every listener shares: one
 * tree parse per request, bad JSON turned into a {@link GatewayError} that says where it broke.
 *
 * <p>Every JSON the gateway reads from a client or an upstream goes through a factory made by
 * {@link #factory()}, so the limits below hold on every listener: a body nested deeper than
 * {@link #MAX_NESTING_DEPTH}, a number longer than {@link #MAX_NUMBER_LENGTH} digits or a string
 * longer than {@link #MAX_STRING_LENGTH} characters is refused with a 400 naming the position and
 * the limit, before any of it is turned into objects (Jackson checks them while tokenizing). The
 * limits are fixed, not configurable: they guard the parser, while {@code max_body_size} is the
 * size a platform engineer tunes. Thread-safe.
 */
public final class Json {
    public static final int MAX_NESTING_DEPTH = Jackson.MAX_NESTING_DEPTH;
    public static final int MAX_NUMBER_LENGTH = Jackson.MAX_NUMBER_LENGTH;
    public static final int MAX_STRING_LENGTH = Jackson.MAX_STRING_LENGTH;
    public static final int MAX_NAME_LENGTH = Jackson.MAX_NAME_LENGTH;

    /** The read limits of every gateway JSON parser ({@link Jackson#LIMITS}). */
    public static final StreamReadConstraints LIMITS = Jackson.LIMITS;

    /** The gateway's one mapper ({@link Jackson#MAPPER}). */
    public static final ObjectMapper MAPPER = Jackson.MAPPER;
    private static final ObjectReader READER = MAPPER.reader();

    private Json() {
    }

    /** The gateway's one JSON factory, with its {@link #LIMITS} ({@link Jackson#FACTORY}): for streaming parsers. */
    public static JsonFactory factory() {
        return Jackson.FACTORY;
    }

    /**
     * What a failed parse says: where it broke and why, a broken limit stated with its value and
     * without Jackson's internal method names.
     */
    public static String describe(JsonProcessingException e, JsonParser parser) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser == null ? null : parser.currentLocation();
        String why = JsonSyntax.what(String.valueOf(e.getOriginalMessage()));
        if (e instanceof StreamConstraintsException) {
            why = e.getOriginalMessage();
            why = why.replaceAll(",? from `[^`]*`", "") + "; the gateway's JSON limits are nesting depth "
                    + MAX_NESTING_DEPTH + ", number length " + MAX_NUMBER_LENGTH + ", string length " + MAX_STRING_LENGTH;
        }
        return at == null ? why : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + why;
    }

    /**
     * Reads one JSON value with the given reader (of {@link #MAPPER}), failing with where and why
     * it broke ({@link #describe}). Returns null for empty input.
     */
    public static JsonNode readTree(ObjectReader reader, byte[] bytes, int offset, int length) throws ParseFailure {
        JsonParser p = null;
        try {
            p = reader.createParser(bytes, offset, length);
            return reader.readTree(p);
        } catch (JsonProcessingException e) {
            throw new ParseFailure(describe(e, p));
        } catch (IOException e) {
            // Reading memory fails only on the content: Jackson detected UTF-16/32 from the first
            // bytes and then met a character that encoding cannot hold.
            throw new ParseFailure("not a valid JSON text encoding (" + e.getMessage() + "); send UTF-8");
        } catch (NumberFormatException e) {
            // Jackson reads big decimals lazily and reports one it cannot hold without a location.
            JsonLocation at = p.currentLocation();
            throw new ParseFailure("line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + ": a number the gateway cannot read (its exponent is too large)");
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // in-memory input: nothing to release
                }
            }
        }
    }

    /**
     * A parser (of {@link #factory()}) over a buffer's own bytes: no copy when the buffer is on
     * the heap, as request and answer bodies are; a copy otherwise.
     */
    public static JsonParser parser(Buffer body) throws IOException {
        if (body instanceof BufferInternal internal) {
            ByteBuf bytes = internal.getByteBuf();
            if (bytes.hasArray()) {
                return factory().createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            }
        }
        return factory().createParser(body.getBytes());
    }

    /** Reads the members of a JSON object whose opening brace the parser has just read. */
    @FunctionalInterface
    public interface ObjectScan<T> {
        T members(JsonParser p) throws IOException;
    }

    /**
     * A best-effort streaming read of {@code body} as one JSON object: {@code scan}'s result, or
     * null when the body is empty, longer than the string limit, not an object, or not JSON (the
     * caller then reads it as a tree, which refuses it with the exact words).
     */
    public static <T> T scanObject(Buffer body, ObjectScan<T> scan) {
        int length = body.length();
        if (length == 0 || length > MAX_STRING_LENGTH) {
            return null;
        }
        try (JsonParser p = parser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            T result = scan.members(p);
            // A scan that lost its place (left a nested value unskipped, so it stopped on that
            // value's close) read members that are not the top level's: its answer is not the
            // message's, and the tree read decides.
            return p.currentToken() == JsonToken.END_OBJECT && p.getParsingContext().inRoot() ? result : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Skips the value at the parser's current token (all of it, for an array or object) the way a
     * tree read of it would go over it: with {@code exact} (a {@link Jackson#EXACT} read)
     * floats are made {@code BigDecimal}s, so a number that read refuses is refused here too (a
     * {@link NumberFormatException}; a default read's doubles never fail), and strings are decoded
     * (into the parser's reused buffer), so bad UTF-8 is refused as a tree read refuses it. For
     * streaming reads that take a few members and must accept exactly what the tree read they
     * replace accepts.
     */
    public static void skip(JsonParser p, boolean exact) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            int depth = 1;
            while (depth > 0) {
                t = p.nextToken();
                if (t == null) {
                    throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "the body ends inside a value");
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else {
                    scalar(p, t, exact);
                }
            }
        } else {
            scalar(p, t, exact);
        }
    }

    private static void scalar(JsonParser p, JsonToken t, boolean exact) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            // Decoded into the parser's own buffer (no String made): passing over a string unread
            // checks less of its UTF-8 than reading it does.
            p.getTextCharacters();
        } else if (exact && t == JsonToken.VALUE_NUMBER_FLOAT) {
            // A BigDecimal the exact read cannot make (an exponent past int) fails it; a double never fails.
            p.getDecimalValue();
        }
    }

    /** A body that is not JSON or breaks a limit; the message says where and why. */
    public static final class ParseFailure extends Exception {
        ParseFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses a body that must be one JSON value; fails with a 400 naming what was wrong. */
    public static JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            throw GatewayError.invalid("the request body is empty; it must be a JSON object", null);
        }
        JsonNode node;
        try {
            node = readTree(READER, body.getBytes(), 0, body.length());
        } catch (ParseFailure e) {
            throw GatewayError.invalid("the request body is not valid JSON at " + e.getMessage(), null);
        }
        if (node == null || node.isMissingNode()) {
            throw GatewayError.invalid("the request body is empty; it must be a JSON object", null);
        }
        return node;
    }

    /** Parses a body that must be a JSON object. */
    public static ObjectNode parseObject(Buffer body) {
        JsonNode node = parse(body);
        if (!node.isObject()) {
            throw GatewayError.invalid("the request body must be a JSON object, not " + kind(node), null);
        }
        return (ObjectNode) node;
    }

    /**
     * An upstream's answer as a JSON object, or null when it is not one (not JSON, or JSON of
     * another kind): the caller words the 502, naming its provider.
     */
    public static ObjectNode objectOrNull(Buffer body) {
        try {
            return MAPPER.readTree(body.getBytes()) instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a JSON value is called in an error message ("an array", "a string"). */
    public static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
