package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

/**
 * OpenAI {@code messages} as Anthropic's top-level {@code system} and alternating
 * {@code user}/{@code assistant} turns:
 * <ul>
 *   <li>{@code system} and {@code developer} messages, wherever they stand, join {@code system};</li>
 *   <li>{@code tool} messages become {@code tool_result} blocks of a user turn;</li>
 *   <li>assistant {@code tool_calls} become {@code tool_use} blocks, their JSON-string arguments parsed;</li>
 *   <li>consecutive turns of one role are merged, since Anthropic requires them to alternate;</li>
 *   <li>empty text is left out (Anthropic refuses empty text blocks) and a turn left empty is dropped.</li>
 * </ul>
 * Leaf values (texts, schemas) are shared with the request's tree, not copied. Used by one
 * request at a time; holds the result while it is built.
 */
final class AnthropicMessages {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ArrayNode system = NODES.arrayNode();
    private final ArrayNode turns = NODES.arrayNode();
    private String lastRole;
    private ArrayNode lastBlocks;

    /** Converts {@code messages} (already checked by {@link io.agentgateway.llm.ChatRequest} to be objects with a role). */
    static AnthropicMessages of(JsonNode messages) {
        AnthropicMessages result = new AnthropicMessages();
        for (int i = 0; i < messages.size(); i++) {
            result.add(messages.get(i), "messages[" + i + "]");
        }
        if (result.turns.isEmpty()) {
            throw GatewayError.invalid("'messages' must hold at least one user, assistant or tool message with content;"
                    + " system messages alone are not a conversation", "messages");
        }
        result.collapseSingleTexts();
        return result;
    }

    /** The system text blocks, in order; empty when there were none. */
    ArrayNode system() {
        return system;
    }

    ArrayNode turns() {
        return turns;
    }

    private void add(JsonNode message, String param) {
        String role = message.get("role").asText();
        JsonNode content = message.get("content");
        switch (role) {
            case "system", "developer" -> texts(content, param + ".content", system);
            case "user" -> turn("user", userContent(content, param + ".content"));
            case "assistant" -> turn("assistant", assistantContent(message, param));
            case "tool" -> turn("user", NODES.arrayNode().add(toolResult(message, param)));
            case "function" -> throw GatewayError.invalid(param + ": the deprecated 'function' role is not supported for this model;"
                    + " send 'tool' messages with a tool_call_id", param + ".role");
            default -> throw GatewayError.invalid(param + ".role '" + role + "' is not one of system, developer, user, assistant, tool",
                    param + ".role");
        }
    }

    private void turn(String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        if (role.equals(lastRole)) {
            for (JsonNode block : blocks) {
                if ("tool_result".equals(block.path("type").asText())) {
                    // Anthropic wants a turn's tool results before anything else in it.
                    lastBlocks.insert(leadingToolResults(lastBlocks), block);
                } else {
                    lastBlocks.add(block);
                }
            }
            return;
        }
        lastRole = role;
        lastBlocks = blocks;
        turns.addObject().put("role", role).set("content", blocks);
    }

    private static int leadingToolResults(ArrayNode blocks) {
        int n = 0;
        while (n < blocks.size() && "tool_result".equals(blocks.get(n).path("type").asText())) {
            n++;
        }
        return n;
    }

    /** A turn of one plain text block is sent as a string, as a client would write it. */
    private void collapseSingleTexts() {
        for (JsonNode turn : turns) {
            JsonNode blocks = turn.get("content");
            if (blocks.size() == 1 && blocks.get(0).size() == 2 && "text".equals(blocks.get(0).path("type").asText())) {
                ((ObjectNode) turn).set("content", blocks.get(0).get("text"));
            }
        }
    }

    /** Text content (a string or {@code text} parts) as text blocks appended to {@code out}. */
    private static void texts(JsonNode content, String param, ArrayNode out) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            text(content, out);
            return;
        }
        if (!content.isArray()) {
            throw GatewayError.invalid(param + " must be a string or an array of content parts, not " + Json.kind(content), param);
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String type = part.path("type").asText();
            if (type.equals("text") || type.equals("refusal")) {
                text(part.get(type), out);
            } else {
                throw GatewayError.invalid(param + "[" + j + "].type '" + type + "' is not allowed here; only text is",
                        param + "[" + j + "].type");
            }
        }
    }

    private static void text(JsonNode text, ArrayNode out) {
        if (text != null && text.isTextual() && !text.asText().isEmpty()) {
            out.addObject().put("type", "text").set("text", text);
        }
    }

    private static ArrayNode userContent(JsonNode content, String param) {
        ArrayNode blocks = NODES.arrayNode();
        if (content == null || content.isNull() || content.isTextual()) {
            texts(content, param, blocks);
            return blocks;
        }
        if (!content.isArray()) {
            throw GatewayError.invalid(param + " must be a string or an array of content parts, not " + Json.kind(content), param);
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partParam = param + "[" + j + "]";
            switch (part.path("type").asText()) {
                case "text" -> text(part.get("text"), blocks);
                case "image_url" -> blocks.add(AnthropicMedia.image(part.path("image_url").path("url"), partParam + ".image_url.url"));
                case "file" -> blocks.add(AnthropicMedia.document(part.path("file"), partParam + ".file"));
                default -> throw GatewayError.invalid(partParam + ".type '" + part.path("type").asText()
                        + "' is not supported for this model (text, image_url and PDF files are)", partParam + ".type");
            }
        }
        return blocks;
    }

    private static ArrayNode assistantContent(JsonNode message, String param) {
        ArrayNode blocks = NODES.arrayNode();
        texts(message.get("content"), param + ".content", blocks);
        JsonNode calls = message.get("tool_calls");
        if (calls == null || calls.isNull()) {
            return blocks;
        }
        if (!calls.isArray()) {
            throw GatewayError.invalid(param + ".tool_calls must be an array, not " + Json.kind(calls), param + ".tool_calls");
        }
        for (int j = 0; j < calls.size(); j++) {
            String callParam = param + ".tool_calls[" + j + "]";
            JsonNode call = calls.get(j);
            JsonNode function = call.path("function");
            ObjectNode block = blocks.addObject().put("type", "tool_use");
            block.set("id", requireText(call.get("id"), callParam + ".id"));
            block.set("name", requireText(function.get("name"), callParam + ".function.name"));
            block.set("input", arguments(function.get("arguments"), callParam + ".function.arguments"));
        }
        return blocks;
    }

    /** OpenAI sends tool arguments as a JSON string; Anthropic wants the object itself. */
    private static JsonNode arguments(JsonNode arguments, String param) {
        if (arguments == null || arguments.isNull() || (arguments.isTextual() && arguments.asText().isBlank())) {
            return NODES.objectNode();
        }
        if (arguments.isObject()) {
            return arguments; // lenient: some clients send the object itself
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

    private static ObjectNode toolResult(JsonNode message, String param) {
        ObjectNode block = NODES.objectNode().put("type", "tool_result");
        block.set("tool_use_id", requireText(message.get("tool_call_id"), param + ".tool_call_id"));
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                block.set("content", content);
            }
        } else {
            ArrayNode texts = NODES.arrayNode();
            texts(content, param + ".content", texts);
            if (!texts.isEmpty()) {
                block.set("content", texts);
            }
        }
        return block;
    }

    private static JsonNode requireText(JsonNode value, String param) {
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw GatewayError.invalid(param + " is required and must be a non-empty string", param);
        }
        return value;
    }
}
