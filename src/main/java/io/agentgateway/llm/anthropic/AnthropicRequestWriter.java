package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

/**
 * An OpenAI chat-completions request as an Anthropic Messages API request body. Builds a new
 * tree that shares leaf values with the request's (the request itself is not changed).
 *
 * <p>Parameters with an Anthropic equivalent are mapped; those that only change OpenAI-side
 * bookkeeping or sampling details Anthropic lacks ({@code seed}, penalties, {@code logit_bias},
 * {@code logprobs}, {@code store}, {@code service_tier}, {@code stream_options}, ...) are
 * dropped; those whose answer the gateway could not honour ({@code n > 1}, legacy
 * {@code functions}, non-function tools) are refused with a 400 naming the parameter.
 * Stateless.
 */
final class AnthropicRequestWriter {
    /** Anthropic requires {@code max_tokens}; OpenAI clients often leave it out. */
    static final int DEFAULT_MAX_TOKENS = 4096;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnthropicRequestWriter() {
    }

    static ObjectNode write(ChatRequest request, String upstreamModel) {
        ObjectNode in = request.json();
        refuseUnsupported(in);
        ObjectNode out = NODES.objectNode();
        out.put("model", upstreamModel);
        AnthropicMessages messages = AnthropicMessages.of(in.get("messages"));
        ArrayNode system = messages.system();
        if (system.size() == 1) {
            out.set("system", system.get(0).get("text"));
        } else if (!system.isEmpty()) {
            out.set("system", system);
        }
        out.set("messages", messages.turns());
        int maxTokens = request.maxTokens();
        out.put("max_tokens", maxTokens > 0 ? maxTokens : DEFAULT_MAX_TOKENS);
        JsonNode temperature = number(in, "temperature");
        if (temperature != null) {
            // OpenAI's range is 0..2, Anthropic's 0..1: keep the caller's intent as far as it goes.
            if (temperature.asDouble() > 1.0) {
                out.put("temperature", 1.0);
            } else {
                out.set("temperature", temperature);
            }
        }
        JsonNode topP = number(in, "top_p");
        if (topP != null) {
            out.set("top_p", topP);
        }
        JsonNode topK = number(in, "top_k");
        if (topK != null) {
            out.set("top_k", topK);
        }
        stopSequences(in.get("stop"), out);
        if (request.stream()) {
            out.put("stream", true);
        }
        JsonNode user = text(in, "user");
        if (user == null) {
            user = text(in, "safety_identifier");
        }
        if (user != null) {
            out.putObject("metadata").set("user_id", user);
        }
        tools(in, out);
        responseFormat(in.get("response_format"), out);
        return out;
    }

    private static void refuseUnsupported(ObjectNode in) {
        JsonNode n = in.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw GatewayError.invalid("'n' must be 1 for this model: it returns a single choice per request", "n");
        }
        JsonNode functions = in.get("functions");
        if (functions != null && !functions.isNull()) {
            throw GatewayError.invalid("the deprecated 'functions' parameter is not supported for this model; use 'tools'", "functions");
        }
    }

    private static void stopSequences(JsonNode stop, ObjectNode out) {
        if (stop == null || stop.isNull()) {
            return;
        }
        ArrayNode sequences = NODES.arrayNode();
        if (stop.isTextual()) {
            addStop(stop, sequences);
        } else if (stop.isArray()) {
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw GatewayError.invalid("stop[" + i + "] must be a string, not " + Json.kind(stop.get(i)), "stop[" + i + "]");
                }
                addStop(stop.get(i), sequences);
            }
        } else {
            throw GatewayError.invalid("'stop' must be a string or an array of strings, not " + Json.kind(stop), "stop");
        }
        if (!sequences.isEmpty()) {
            out.set("stop_sequences", sequences);
        }
    }

    private static void addStop(JsonNode s, ArrayNode sequences) {
        if (!s.asText().isEmpty()) {
            sequences.add(s);
        }
    }

    private static void tools(ObjectNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools == null || tools.isNull() || (tools.isArray() && tools.isEmpty())) {
            return; // without tools a tool_choice means nothing, and Anthropic refuses one
        }
        if (!tools.isArray()) {
            throw GatewayError.invalid("'tools' must be an array, not " + Json.kind(tools), "tools");
        }
        ArrayNode converted = out.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            converted.add(tool(tools.get(i), "tools[" + i + "]"));
        }
        ObjectNode choice = toolChoice(in.get("tool_choice"));
        JsonNode parallel = in.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
            if (choice == null) {
                choice = NODES.objectNode().put("type", "auto");
            }
            if (!choice.get("type").asText().equals("none")) {
                choice.put("disable_parallel_tool_use", true);
            }
        }
        if (choice != null) {
            out.set("tool_choice", choice);
        }
    }

    private static ObjectNode tool(JsonNode tool, String param) {
        String type = tool.path("type").asText("function");
        if (!type.equals("function")) {
            throw GatewayError.invalid(param + ".type '" + type + "' is not supported for this model; only function tools are",
                    param + ".type");
        }
        JsonNode function = tool.path("function");
        JsonNode name = function.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            throw GatewayError.invalid(param + ".function.name is required and must be a non-empty string", param + ".function.name");
        }
        ObjectNode out = NODES.objectNode();
        out.set("name", name);
        JsonNode description = function.get("description");
        if (description != null && description.isTextual() && !description.asText().isEmpty()) {
            out.set("description", description);
        }
        JsonNode parameters = function.get("parameters");
        if (parameters == null || parameters.isNull()) {
            out.putObject("input_schema").put("type", "object").putObject("properties");
        } else if (!parameters.isObject()) {
            throw GatewayError.invalid(param + ".function.parameters must be a JSON Schema object, not " + Json.kind(parameters),
                    param + ".function.parameters");
        } else if (parameters.has("type")) {
            out.set("input_schema", parameters);
        } else {
            // Anthropic insists on "type": "object"; OpenAI lets it be implied.
            out.putObject("input_schema").put("type", "object").setAll((ObjectNode) parameters);
        }
        return out;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> NODES.objectNode().put("type", "auto");
                case "none" -> NODES.objectNode().put("type", "none");
                case "required" -> NODES.objectNode().put("type", "any");
                default -> throw GatewayError.invalid("'tool_choice' must be auto, none, required or a function, not '"
                        + choice.asText() + "'", "tool_choice");
            };
        }
        JsonNode name = choice.path("function").get("name");
        if (!choice.path("type").asText().equals("function") || name == null || !name.isTextual()) {
            throw GatewayError.invalid("'tool_choice' object must be {\"type\":\"function\",\"function\":{\"name\":...}} for this model",
                    "tool_choice");
        }
        ObjectNode out = NODES.objectNode().put("type", "tool");
        out.set("name", name);
        return out;
    }

    /** A {@code json_schema} response format maps to Anthropic's structured output; the others have no equivalent. */
    private static void responseFormat(JsonNode format, ObjectNode out) {
        if (format == null || !format.isObject() || !format.path("type").asText().equals("json_schema")) {
            return;
        }
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
            throw GatewayError.invalid("response_format.json_schema.schema is required and must be an object",
                    "response_format.json_schema.schema");
        }
        ObjectNode outputFormat = out.putObject("output_config").putObject("format").put("type", "json_schema");
        outputFormat.set("schema", schema);
    }

    private static JsonNode number(ObjectNode in, String field) {
        JsonNode n = in.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw GatewayError.invalid("'" + field + "' must be a number, not " + Json.kind(n), field);
        }
        return n;
    }

    private static JsonNode text(ObjectNode in, String field) {
        JsonNode n = in.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n : null;
    }
}
