package io.agentgateway.mcp;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.UncheckedIOException;

/**
 * One JSON-RPC message as it crossed the wire: the exact bytes it arrived as, while the gateway
 * has not changed it, so what the gateway relays unchanged (a large tool result, base64 content)
 * leaves byte for byte as it came, and the parsed object. A message read from the wire is only
 * scanned ({@link Envelope}: kind, id, method, the routing params); its tree is built the first
 * time something asks for it ({@link #json()}, {@link #params()}, {@link #result()}), so a relayed
 * tool call never builds one. Numbers are parsed exactly (no double rounding), so a rewritten
 * message keeps every value too.
 *
 * <p>Immutable once built: a change makes a new message ({@link #withId}). Thread-safe to share.
 */
public final class Message {
    /** The gateway's one mapper ({@link Jackson#MAPPER}); messages are read with {@link Jackson#EXACT}. */
    static final ObjectMapper MAPPER = Jackson.MAPPER;

    /** What a JSON-RPC message is, by which members it has. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    private final Kind kind;
    private final JsonNode id;
    private final String method;
    /** What the scan read, for a message read from the wire; null for one built from a tree. */
    private final Envelope envelope;
    /** The tree: given, or built from {@link #bytes} when first asked for. */
    private volatile ObjectNode json;
    private volatile Buffer bytes;

    private Message(ObjectNode json, Kind kind, Buffer bytes) {
        this.json = json;
        this.kind = kind;
        this.bytes = bytes;
        this.envelope = null;
        this.id = json.get("id");
        JsonNode m = json.get("method");
        this.method = m == null ? null : m.asText();
    }

    private Message(Envelope envelope, Buffer bytes) {
        this.envelope = envelope;
        this.kind = envelope.kind();
        this.id = envelope.id();
        this.method = envelope.method();
        this.bytes = bytes;
    }

    /**
     * Parses one message. Fails with {@link JsonRpcException} -32700 when the text is not JSON and
     * -32600 when it is JSON but not one JSON-RPC 2.0 message (naming what is wrong).
     */
    public static Message parse(Buffer bytes) {
        Envelope envelope = Envelope.scan(bytes);
        if (envelope != null) {
            return new Message(envelope, bytes);
        }
        // Bad input, or a shape the scan leaves to the tree read: it decides, in its words.
        return parseTree(bytes);
    }

    /** {@link #parse} by the tree read alone: what the scan must agree with. */
    static Message parseTree(Buffer bytes) {
        JsonNode node;
        try {
            node = Json.readTree(Jackson.EXACT, bytes.getBytes(), 0, bytes.length());
        } catch (Json.ParseFailure e) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: the body is not valid JSON at " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new JsonRpcException(JsonRpcException.PARSE_ERROR, "Parse error: the body is empty; send one JSON-RPC message");
        }
        if (node.isArray()) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per request");
        }
        if (!node.isObject()) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: a JSON-RPC message is an object, not " + Json.kind(node));
        }
        return of((ObjectNode) node, bytes);
    }

    /** Wraps a message the gateway built or changed; its bytes are written when first needed. */
    public static Message of(ObjectNode json) {
        return of(json, null);
    }

    private static Message of(ObjectNode json, Buffer bytes) {
        JsonNode version = json.get("jsonrpc");
        if (version == null || !version.isTextual() || !"2.0".equals(version.asText())) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: \"jsonrpc\" must be \"2.0\"", json.get("id"));
        }
        JsonNode id = json.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber() || (id.isNull() && !json.has("method")))) {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: \"id\" must be a string or an integer, not " + Json.kind(id));
        }
        JsonNode method = json.get("method");
        Kind kind;
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) {
                throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: \"method\" must be a non-empty string", id);
            }
            JsonNode params = json.get("params");
            if (params != null && !params.isObject() && !params.isArray()) {
                throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: \"params\" must be an object", id);
            }
            kind = id == null ? Kind.NOTIFICATION : Kind.REQUEST;
        } else if (json.has("result") || json.has("error")) {
            if (id == null) {
                throw new JsonRpcException(JsonRpcException.INVALID_REQUEST, "Invalid Request: a response needs an \"id\"");
            }
            kind = Kind.RESPONSE;
        } else {
            throw new JsonRpcException(JsonRpcException.INVALID_REQUEST,
                    "Invalid Request: a JSON-RPC message needs \"method\" (request, notification) or \"result\"/\"error\" (response)", id);
        }
        return new Message(json, kind, bytes);
    }

    public Kind kind() {
        return kind;
    }

    /** The id, or null for a notification. Shared: do not modify. */
    public JsonNode id() {
        return id;
    }

    /** The method, or null for a response. */
    public String method() {
        return method;
    }

    /** {@code params} as an object (empty when absent or not an object). Shared: do not modify. */
    public ObjectNode params() {
        JsonNode p = json().get("params");
        return p instanceof ObjectNode o ? o : MAPPER.createObjectNode();
    }

    /** A string member of {@code params}, or null. */
    public String param(String name) {
        if (envelope != null && Envelope.captured(name)) {
            return envelope.param(name);
        }
        JsonNode v = params().get(name);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    public boolean isError() {
        return kind == Kind.RESPONSE && (envelope != null ? envelope.error() : json.has("error"));
    }

    /** The response's {@code result} object, or null. Shared: do not modify. */
    public ObjectNode result() {
        JsonNode r = json().get("result");
        return r instanceof ObjectNode o ? o : null;
    }

    /** The parsed message, read from its bytes the first time it is asked for. Shared: read it, or {@link #copy()} to change it. */
    public ObjectNode json() {
        ObjectNode tree = json;
        if (tree == null) {
            Buffer b = bytes;
            try {
                tree = (ObjectNode) Json.readTree(Jackson.EXACT, b.getBytes(), 0, b.length());
            } catch (Json.ParseFailure e) {
                // The scan accepted these bytes, and it accepts only what this read accepts.
                throw new IllegalStateException("a scanned JSON-RPC message does not read as a tree: " + e.getMessage(), e);
            }
            json = tree;
        }
        return tree;
    }

    /** A deep copy to modify and wrap again with {@link #of(ObjectNode)}. */
    public ObjectNode copy() {
        return json().deepCopy();
    }

    /** A copy with {@code id} replaced. */
    public Message withId(JsonNode newId) {
        ObjectNode c = copy();
        c.set("id", newId);
        return new Message(c, kind, null);
    }

    /** The bytes to send: the original ones when the message is unchanged. */
    public Buffer bytes() {
        Buffer b = bytes;
        if (b == null) {
            b = write(json);
            bytes = b;
        }
        return b;
    }

    @Override
    public String toString() {
        return kind + (method != null ? " " + method : "") + (id != null ? " id=" + id : "");
    }

    static Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
