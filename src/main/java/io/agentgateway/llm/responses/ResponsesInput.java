package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

/**
 * A Responses {@code input} as chat-completions {@code messages}:
 * <ul>
 *   <li>a string: one user message;</li>
 *   <li>message items ({@code role} user, assistant, system, developer — as system): a message each, content
 *       parts mapped ({@code input_text}/{@code output_text} to text, {@code input_image} to
 *       {@code image_url}, {@code input_file} to {@code file}, {@code refusal} to text);</li>
 *   <li>{@code function_call} items: {@code tool_calls} of an assistant message (consecutive calls,
 *       and the assistant text right before them, share one message);</li>
 *   <li>{@code function_call_output} items: {@code tool} messages;</li>
 *   <li>{@code reasoning} items: left out (a chat provider cannot take them back).</li>
 * </ul>
 * Other items (hosted tool calls, {@code item_reference}) have no chat equivalent and are refused
 * with a 400 naming the item. Builds new nodes; the request is not changed. Stateless.
 */
final class ResponsesInput {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponsesInput() {
    }

    static ArrayNode messages(JsonNode input) {
        ArrayNode out = NODES.arrayNode();
        if (input.isTextual()) {
            out.addObject().put("role", "user").put("content", input.asText());
            return out;
        }
        for (int i = 0; i < input.size(); i++) {
            item(input.get(i), "input[" + i + "]", out);
        }
        return out;
    }

    private static void item(JsonNode item, String where, ArrayNode out) {
        String type = item.path("type").asText(item.has("role") ? "message" : "");
        switch (type) {
            case "message" -> message(item, where, out);
            case "function_call" -> functionCall(item, where, out);
            case "function_call_output" -> {
                ObjectNode tool = out.addObject().put("role", "tool");
                tool.set("tool_call_id", required(item, "call_id", where));
                JsonNode output = item.get("output");
                tool.put("content", output == null || output.isNull() ? "" : output.isTextual() ? output.asText() : text(output));
            }
            case "reasoning" -> {
                // chat providers take no reasoning back
            }
            default -> throw GatewayError.invalid(where + ".type '" + type + "' is not supported for this model: its provider"
                    + " is reached through chat completions, which have messages, function calls and their outputs only", where + ".type");
        }
    }

    private static void message(JsonNode item, String where, ArrayNode out) {
        String role = item.path("role").asText("");
        if (!role.equals("user") && !role.equals("assistant") && !role.equals("system") && !role.equals("developer")) {
            throw GatewayError.invalid(where + ".role must be user, assistant, system or developer, not '" + role + "'", where + ".role");
        }
        JsonNode content = item.get("content");
        // Chat servers other than OpenAI's (the only ones this translation reaches) often know no developer role.
        ObjectNode message = NODES.objectNode().put("role", role.equals("developer") ? "system" : role);
        if (content == null || content.isNull()) {
            message.put("content", "");
        } else if (content.isTextual()) {
            message.set("content", content);
        } else if (content.isArray()) {
            if (role.equals("user")) {
                message.set("content", parts(content, where + ".content"));
            } else {
                message.put("content", text(content));
            }
        } else {
            throw GatewayError.invalid(where + ".content must be a string or an array, not " + Json.kind(content), where + ".content");
        }
        out.add(message);
    }

    private static ArrayNode parts(JsonNode content, String where) {
        ArrayNode parts = NODES.arrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String at = where + "[" + i + "]";
            String type = part.path("type").asText("");
            switch (type) {
                case "input_text", "output_text", "text" -> parts.addObject().put("type", "text").set("text", required(part, "text", at));
                case "input_image" -> {
                    JsonNode url = part.get("image_url");
                    if (url == null || !url.isTextual()) {
                        throw GatewayError.invalid(at + ".image_url is required for this model (file_id images cannot be translated)",
                                at + ".image_url");
                    }
                    ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url");
                    image.set("url", url);
                    if (part.path("detail").isTextual()) {
                        image.set("detail", part.get("detail"));
                    }
                }
                case "input_file" -> {
                    ObjectNode file = parts.addObject().put("type", "file").putObject("file");
                    for (String field : new String[]{"file_data", "file_id", "filename"}) {
                        if (part.path(field).isTextual()) {
                            file.set(field, part.get(field));
                        }
                    }
                }
                default -> throw GatewayError.invalid(at + ".type '" + type + "' is not supported for this model", at + ".type");
            }
        }
        return parts;
    }

    private static void functionCall(JsonNode item, String where, ArrayNode out) {
        ObjectNode assistant = null;
        if (!out.isEmpty()) {
            JsonNode last = out.get(out.size() - 1);
            if (last.path("role").asText().equals("assistant")) {
                assistant = (ObjectNode) last;
            }
        }
        if (assistant == null) {
            assistant = out.addObject().put("role", "assistant");
            assistant.putNull("content");
        }
        ArrayNode calls = assistant.get("tool_calls") instanceof ArrayNode a ? a : assistant.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.set("id", required(item, "call_id", where));
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.set("name", required(item, "name", where));
        JsonNode arguments = item.get("arguments");
        function.put("arguments", arguments == null || arguments.isNull() ? "{}" : arguments.asText());
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw GatewayError.invalid(where + "." + field + " is required and must be a string", where + "." + field);
        }
        return value;
    }

    /** The text of content parts (or of a string), joined. */
    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode t = part.has("text") ? part.get("text") : part.get("refusal");
            if (t != null && t.isTextual()) {
                out.append(t.asText());
            }
        }
        return out.toString();
    }
}
