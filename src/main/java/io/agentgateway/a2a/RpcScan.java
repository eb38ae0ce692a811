package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * {@link RpcRequest} read from a call's bytes in one streaming pass, with no tree: the envelope
 * ({@code jsonrpc}, {@code id}, {@code method}) and the few {@code params} members that name the
 * task and context; everything else (the message's parts, files, metadata) is passed over.
 *
 * <p>It reads what the tree read ({@link RpcRequest#parseJson} then {@link RpcRequest#of}) reads,
 * the last of duplicate members winning as there, and accepts only what it accepts (floats
 * converted, strings decoded, as {@link Json#skip} does); whatever is not a valid request, or is
 * out of the ordinary, it leaves to the tree read ({@link #read} answers null), so every refusal
 * keeps that read's words and id. Stateless.
 */
final class RpcScan {
    /** A marker for an id of a type a request may not use (compared by identity). */
    private static final JsonNode BAD = new TextNode("not an id");

    private RpcScan() {
    }

    /** The request, or null when the tree read must decide (bad input, a refusal to word, a rare shape). */
    static RpcRequest read(Buffer body) {
        return Json.scanObject(body, RpcScan::members);
    }

    /** The candidates for the task and context ids, wherever a method may put them; which one counts depends on the method. */
    private static final class Params {
        String id;
        String name;
        String taskId;
        String contextId;
        String messageTaskId;
        String messageContextId;
    }

    private static RpcRequest members(JsonParser p) throws IOException {
        boolean version = false;
        JsonNode id = null;
        boolean hasMethod = false;
        String method = null;
        Params params = new Params();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "jsonrpc" -> {
                    version = t == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                    Json.skip(p, false);
                }
                case "id" -> id = id(p, t);
                case "method" -> {
                    hasMethod = t != JsonToken.VALUE_NULL;
                    method = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    Json.skip(p, false);
                }
                case "params" -> {
                    params = new Params();
                    if (t == JsonToken.START_OBJECT) {
                        params(p, params);
                    } else {
                        Json.skip(p, false);
                    }
                }
                default -> Json.skip(p, false);
            }
        }
        // The checks of RpcRequest.of; what fails one is left to it, for its words.
        if (!version || !hasMethod || method == null || method.isEmpty() || id == BAD) {
            return null;
        }
        String taskId = null;
        String contextId = null;
        if (A2aMethods.isSend(method)) {
            taskId = text(params.messageTaskId);
            contextId = text(params.messageContextId);
        } else if (A2aMethods.takesTaskId(method)) {
            taskId = text(params.id);
            if (taskId == null) {
                String name = text(params.name);
                taskId = name != null && name.startsWith("tasks/") && name.length() > 6 ? name.substring(6) : null;
            }
        } else if (A2aMethods.isPushConfig(method)) {
            taskId = text(params.taskId);
            if (taskId == null) {
                taskId = text(params.id);
            }
        } else {
            contextId = text(params.contextId);
        }
        String name = method.length() > RpcRequest.MAX_METHOD ? method.substring(0, RpcRequest.MAX_METHOD) : method;
        return new RpcRequest(id, name, taskId, contextId);
    }

    /** The string members of {@code params} (on its START_OBJECT), and of its {@code message}. */
    private static void params(JsonParser p, Params into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken v = p.nextToken();
            String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
            switch (member) {
                case "id" -> into.id = text;
                case "name" -> into.name = text;
                case "taskId" -> into.taskId = text;
                case "contextId" -> into.contextId = text;
                case "message" -> {
                    into.messageTaskId = null;
                    into.messageContextId = null;
                    if (v == JsonToken.START_OBJECT) {
                        message(p, into);
                        continue;
                    }
                }
                default -> {
                }
            }
            Json.skip(p, false);
        }
    }

    private static void message(JsonParser p, Params into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            JsonToken v = p.nextToken();
            String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
            if ("taskId".equals(member)) {
                into.messageTaskId = text;
            } else if ("contextId".equals(member)) {
                into.messageContextId = text;
            }
            Json.skip(p, false);
        }
    }

    /** {@link RpcRequest#text}, on a member already read as a string (null: absent or not one). */
    private static String text(String s) {
        return s == null || s.isEmpty() ? null : RpcRequest.bounded(s);
    }

    /** The id as the tree read makes it; {@link #BAD} for a type a request may not use. */
    private static JsonNode id(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.INT && t == JsonToken.VALUE_NUMBER_INT
                    ? IntNode.valueOf(p.getIntValue())
                    : Json.MAPPER.readTree(p);
            default -> {
                Json.skip(p, false);
                yield BAD;
            }
        };
    }
}
