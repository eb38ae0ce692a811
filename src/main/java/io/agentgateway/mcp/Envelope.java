package io.agentgateway.mcp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * What the flows read of a JSON-RPC message, taken in one streaming pass over its bytes with no
 * tree built: its kind, id and method, whether a response is an error, and the {@code params}
 * members requests are routed and governed by ({@code name}, {@code uri}, {@code protocolVersion}).
 * Everything else (arguments, results) is passed over, so a large tool result costs one pass.
 *
 * <p>It accepts exactly the messages {@link Message}'s tree read accepts and reads the same values
 * from them: the last of duplicate members wins, ids are numbers as {@link io.agentgateway.core.Jackson#EXACT}
 * reads them, and floats anywhere are converted as that read converts them. Whatever it is not
 * sure of (not JSON, not an object, not a valid message, a body past the string limit) it leaves
 * to the tree read ({@link #scan} answers null), so every refusal keeps the tree read's wording.
 *
 * @param kind     request, notification or response
 * @param id       the id (as the tree read makes it), or null for a notification
 * @param method   the method, or null for a response
 * @param error    a response carries an {@code error}
 * @param name     {@code params.name} when it is a string, else null
 * @param uri      {@code params.uri} when it is a string, else null
 * @param protocolVersion {@code params.protocolVersion} when it is a string, else null
 */
record Envelope(Message.Kind kind, JsonNode id, String method, boolean error, String name, String uri,
                String protocolVersion) {
    /** The {@code params} members captured while scanning; others are read from the tree. */
    static boolean captured(String param) {
        return "name".equals(param) || "uri".equals(param) || "protocolVersion".equals(param);
    }

    /** The params member captured under {@code param} ({@link #captured}). */
    String param(String param) {
        return switch (param) {
            case "name" -> name;
            case "uri" -> uri;
            default -> protocolVersion;
        };
    }

    /** The envelope of one message, or null when the tree read must decide (bad input or a rare shape). */
    static Envelope scan(Buffer body) {
        return Json.scanObject(body, Envelope::members);
    }

    /** A marker for an id of a type a message may not use (compared by identity). */
    private static final JsonNode BAD = new TextNode("not an id");

    private static Envelope members(JsonParser p) throws IOException {
        boolean version = false;
        JsonNode id = null;
        boolean hasMethod = false;
        String method = null;
        JsonToken params = null;
        String name = null;
        String uri = null;
        String protocolVersion = null;
        boolean result = false;
        boolean error = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "jsonrpc" -> {
                    version = t == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                    Json.skip(p, true);
                }
                case "id" -> id = id(p, t);
                case "method" -> {
                    hasMethod = true;
                    method = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    Json.skip(p, true);
                }
                case "params" -> {
                    params = t;
                    name = null;
                    uri = null;
                    protocolVersion = null;
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String member = p.currentName();
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_STRING && captured(member)) {
                                switch (member) {
                                    case "name" -> name = p.getText();
                                    case "uri" -> uri = p.getText();
                                    default -> protocolVersion = p.getText();
                                }
                            } else {
                                if (captured(member)) {
                                    switch (member) {
                                        case "name" -> name = null;
                                        case "uri" -> uri = null;
                                        default -> protocolVersion = null;
                                    }
                                }
                                Json.skip(p, true);
                            }
                        }
                    } else {
                        Json.skip(p, true);
                    }
                }
                case "result" -> {
                    result = true;
                    Json.skip(p, true);
                }
                case "error" -> {
                    error = true;
                    Json.skip(p, true);
                }
                default -> Json.skip(p, true);
            }
        }
        // The same checks, in the same order, as Message.of; any failure goes to the tree read for its wording.
        if (!version || id == BAD || (id instanceof NullNode && hasMethod)) {
            return null;
        }
        if (hasMethod) {
            if (method == null || method.isEmpty()
                    || (params != null && params != JsonToken.START_OBJECT && params != JsonToken.START_ARRAY)) {
                return null;
            }
            return new Envelope(id == null ? Message.Kind.NOTIFICATION : Message.Kind.REQUEST, id, method, false,
                    name, uri, protocolVersion);
        }
        if ((result || error) && id != null) {
            return new Envelope(Message.Kind.RESPONSE, id, null, error, null, null, null);
        }
        return null;
    }

    /** The id as the exact tree read makes it; {@link #BAD} for a type a message may not use. */
    private static JsonNode id(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT -> JsonNodeFactory.instance.numberNode(p.getBigIntegerValue());
            case VALUE_NULL -> NullNode.getInstance();
            default -> {
                Json.skip(p, true);
                yield BAD;
            }
        };
    }
}
