package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

/**
 * Anthropic {@code system} and {@code messages} as OpenAI chat {@code messages} — the reverse of
 * {@link AnthropicMessages}:
 * <ul>
 *   <li>{@code system} (a string or text blocks): one system message;</li>
 *   <li>user turns: {@code tool_result} blocks become {@code tool} messages (first, as chat wants
 *       a tool's answer right after the call), the other blocks one user message — text, images
 *       ({@code base64} as a {@code data:} URL, or {@code url}) as {@code image_url} parts, PDF
 *       documents as {@code file} parts, plain-text documents as text; all-text content as a string;</li>
 *   <li>assistant turns: text joined into {@code content}, {@code tool_use} blocks as
 *       {@code tool_calls} (input serialised as the arguments string), {@code thinking} left out;</li>
 *   <li>blocks chat has no place for (server tool use and results, search results, container
 *       uploads) are refused with a 400 naming the block.</li>
 * </ul>
 * Builds new nodes sharing leaf values; the request is not changed. Stateless.
 */
final class ChatMessages {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChatMessages() {
    }

    static ArrayNode of(ObjectNode request) {
        ArrayNode out = NODES.arrayNode();
        JsonNode system = request.get("system");
        if (system != null && !system.isNull()) {
            String text = system.isTextual() ? system.asText() : texts(system, "system");
            if (!text.isEmpty()) {
                out.addObject().put("role", "system").put("content", text);
            }
        }
        JsonNode messages = request.get("messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages." + i + ".content";
            JsonNode content = m.get("content");
            if (m.get("role").asText().equals("assistant")) {
                assistant(content, where, out);
            } else {
                user(content, where, out);
            }
        }
        return out;
    }

    private static void user(JsonNode content, String where, ArrayNode out) {
        if (content.isTextual()) {
            out.addObject().put("role", "user").put("content", content.asText());
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        boolean allText = true;
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String at = where + "." + i;
            switch (block.path("type").asText("")) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText(""));
                case "image" -> {
                    allText = false;
                    parts.addObject().put("type", "image_url").putObject("image_url").put("url", source(block.path("source"), at));
                }
                case "document" -> {
                    JsonNode source = block.path("source");
                    if (source.path("type").asText().equals("text")) {
                        parts.addObject().put("type", "text").put("text", source.path("data").asText(""));
                    } else {
                        allText = false;
                        ObjectNode file = parts.addObject().put("type", "file").putObject("file");
                        file.put("file_data", source(source, at));
                        if (block.path("title").isTextual()) {
                            file.set("filename", block.get("title"));
                        }
                    }
                }
                case "tool_result" -> {
                    ObjectNode tool = out.addObject().put("role", "tool");
                    JsonNode id = block.get("tool_use_id");
                    if (id == null || !id.isTextual()) {
                        throw GatewayError.invalid(at + ".tool_use_id: Field required", at + ".tool_use_id");
                    }
                    tool.set("tool_call_id", id);
                    JsonNode result = block.get("content");
                    String text = result == null || result.isNull() ? "" : result.isTextual() ? result.asText() : texts(result, at + ".content");
                    tool.put("content", block.path("is_error").asBoolean(false) && !text.startsWith("Error") ? "Error: " + text : text);
                }
                default -> throw unsupported(block, at);
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        ObjectNode message = out.addObject().put("role", "user");
        if (allText) {
            message.put("content", texts(parts, where));
        } else {
            message.set("content", parts);
        }
    }

    private static void assistant(JsonNode content, String where, ArrayNode out) {
        ObjectNode message = NODES.objectNode().put("role", "assistant");
        if (content.isTextual()) {
            out.add(message.put("content", content.asText()));
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (int i = 0; i < content.size(); i++) {
            JsonNode block = content.get(i);
            String at = where + "." + i;
            switch (block.path("type").asText("")) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    calls = calls == null ? NODES.arrayNode() : calls;
                    ObjectNode call = calls.addObject();
                    call.put("id", block.path("id").asText(""));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", block.path("name").asText(""));
                    function.put("arguments", json(block.get("input")));
                }
                case "thinking", "redacted_thinking" -> {
                    // chat providers take no reasoning back
                }
                default -> throw unsupported(block, at);
            }
        }
        if (text.isEmpty() && calls != null) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (calls != null) {
            message.set("tool_calls", calls);
        }
        out.add(message);
    }

    /** An image or document source as a URL: the {@code url} itself, or a {@code data:} URL for base64 data. */
    private static String source(JsonNode source, String at) {
        return switch (source.path("type").asText("")) {
            case "base64" -> "data:" + source.path("media_type").asText("application/octet-stream") + ";base64," + source.path("data").asText("");
            case "url" -> source.path("url").asText("");
            default -> throw GatewayError.invalid(at + ".source.type: '" + source.path("type").asText("") + "' is not supported for"
                    + " this model; use base64 or url", at + ".source.type");
        };
    }

    /** The texts of text blocks, joined. */
    private static String texts(JsonNode blocks, String where) {
        if (!blocks.isArray()) {
            throw GatewayError.invalid(where + ": must be a string or an array of text blocks", where);
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : blocks) {
            if (block.path("text").isTextual()) {
                out.append(out.isEmpty() ? "" : "\n").append(block.get("text").asText());
            }
        }
        return out.toString();
    }

    private static String json(JsonNode input) {
        if (input == null || input.isNull()) {
            return "{}";
        }
        try {
            return Json.MAPPER.writeValueAsString(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GatewayError unsupported(JsonNode block, String at) {
        return GatewayError.invalid(at + ".type: '" + block.path("type").asText("") + "' blocks are not supported for this model:"
                + " its provider is reached through OpenAI chat completions", at + ".type");
    }
}
