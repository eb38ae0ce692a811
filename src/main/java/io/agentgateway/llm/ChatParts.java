package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parts of an OpenAI chat request that every translator to another wire format reads the
 * same way, checked as they are read: a 400 naming the parameter (with its index path) when a
 * part is not what OpenAI's API allows. Stateless; returns the request's own nodes (never changed).
 */
public final class ChatParts {
    private ChatParts() {
    }

    /** Each non-empty text of {@code content} (a string, or {@code text}/{@code refusal} parts), in order. */
    public static void texts(JsonNode content, String param, Consumer<JsonNode> text) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            nonEmpty(content, text);
            return;
        }
        if (!content.isArray()) {
            throw GatewayError.invalid(param + " must be a string or an array of content parts, not " + Json.kind(content), param);
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText();
            if (type.equals("text") || type.equals("refusal")) {
                nonEmpty(part.get(type), text);
            } else {
                throw GatewayError.invalid(param + "[" + j + "].type '" + type + "' is not allowed here; only text is",
                        param + "[" + j + "].type");
            }
        }
    }

    private static void nonEmpty(JsonNode text, Consumer<JsonNode> out) {
        if (text != null && text.isTextual() && !text.asText().isEmpty()) {
            out.accept(text);
        }
    }

    /** A tool call's {@code arguments} (a JSON string, or leniently the object) as the object; {@code {}} when empty. */
    public static JsonNode toolArguments(JsonNode arguments, String param) {
        if (arguments == null || arguments.isNull() || (arguments.isTextual() && arguments.asText().isBlank())) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (arguments.isObject()) {
            return arguments;
        }
        if (!arguments.isTextual()) {
            throw GatewayError.invalid(param + " must be a JSON string, not " + Json.kind(arguments), param);
        }
        JsonNode input;
        try {
            input = Json.MAPPER.readTree(arguments.asText());
        } catch (JsonProcessingException e) {
            throw GatewayError.invalid(param + " is not valid JSON (" + e.getOriginalMessage() + ")", param);
        }
        if (input == null || !input.isObject()) {
            throw GatewayError.invalid(param + " must be a JSON object, not " + Json.kind(input), param);
        }
        return input;
    }

    /** {@code value}, which must be a non-empty string. */
    public static JsonNode requireText(JsonNode value, String param) {
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw GatewayError.invalid(param + " is required and must be a non-empty string", param);
        }
        return value;
    }

    /** The non-empty sequences of {@code stop} (a string or an array of strings); empty when absent. */
    public static List<JsonNode> stopSequences(JsonNode stop) {
        List<JsonNode> out = new ArrayList<>(2);
        if (stop == null || stop.isNull()) {
            return out;
        }
        if (stop.isTextual()) {
            nonEmpty(stop, out::add);
        } else if (stop.isArray()) {
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw GatewayError.invalid("stop[" + i + "] must be a string, not " + Json.kind(stop.get(i)), "stop[" + i + "]");
                }
                nonEmpty(stop.get(i), out::add);
            }
        } else {
            throw GatewayError.invalid("'stop' must be a string or an array of strings, not " + Json.kind(stop), "stop");
        }
        return out;
    }

    /** Copies the number {@code in.field} to {@code out.as} when present. */
    public static void copyNumber(ObjectNode in, String field, ObjectNode out, String as) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isNumber()) {
            throw GatewayError.invalid("'" + field + "' must be a number, not " + Json.kind(n), field);
        }
        out.set(as, n);
    }

    /** Refuses the deprecated {@code functions} parameter, which only OpenAI's own wire format carries. */
    public static void refuseFunctions(ObjectNode in) {
        JsonNode functions = in.get("functions");
        if (functions != null && !functions.isNull()) {
            throw GatewayError.invalid("the deprecated 'functions' parameter is not supported for this model; use 'tools'", "functions");
        }
    }

    /** A function tool's declaration parts, checked: the {@code function} object of {@code tools[i]}. */
    public static JsonNode function(JsonNode tool, String param) {
        String type = tool.path("type").asText("function");
        if (!type.equals("function")) {
            throw GatewayError.invalid(param + ".type '" + type + "' is not supported for this model; only function tools are",
                    param + ".type");
        }
        JsonNode function = tool.path("function");
        requireText(function.get("name"), param + ".function.name");
        JsonNode parameters = function.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw GatewayError.invalid(param + ".function.parameters must be a JSON Schema object, not " + Json.kind(parameters),
                    param + ".function.parameters");
        }
        return function;
    }

    /** The 400 for a message whose role no translator knows. */
    public static GatewayError unknownRole(String param, String role) {
        return GatewayError.invalid(param + ".role '" + role + "' is not one of system, developer, user, assistant, tool", param + ".role");
    }

    /**
     * Appends the turns of a conversation to an array, merging a turn into the one before it when
     * both have the same role: the formats that take turns want roles to alternate. Not thread-safe.
     */
    public static final class Turns {
        private final ArrayNode out;
        private final String contentField;
        private String lastRole;
        private ArrayNode last;

        /** @param contentField the field a turn's blocks go in ({@code content}, {@code parts}) */
        public Turns(ArrayNode out, String contentField) {
            this.out = out;
            this.contentField = contentField;
        }

        /** Adds {@code blocks} as a turn of {@code role} (nothing when empty). */
        public void add(String role, ArrayNode blocks) {
            if (blocks.isEmpty()) {
                return;
            }
            if (role.equals(lastRole)) {
                last.addAll(blocks);
                return;
            }
            out.addObject().put("role", role).set(contentField, blocks);
            lastRole = role;
            last = blocks;
        }
    }
}
