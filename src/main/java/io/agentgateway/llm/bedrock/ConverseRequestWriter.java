package io.agentgateway.llm.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.ChatParts;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI chat-completions request as a Bedrock Converse request body (the model goes in the
 * path, not the body). Builds a new tree; the request is not changed.
 * <ul>
 *   <li>system and developer messages to {@code system} text blocks;</li>
 *   <li>user, assistant and tool messages to {@code messages} with {@code text}, {@code image}
 *       (base64 {@code data:} URLs only: Converse cannot fetch a URL), {@code document} (PDF),
 *       {@code toolUse} and {@code toolResult} blocks; consecutive turns of one role merged, as
 *       Converse wants roles to alternate;</li>
 *   <li>{@code max_completion_tokens}/{@code max_tokens}, {@code temperature}, {@code top_p} and
 *       {@code stop} to {@code inferenceConfig};</li>
 *   <li>function tools and {@code tool_choice} to {@code toolConfig} ({@code none} sends no tools
 *       unless the conversation already holds tool blocks, which Converse then requires).</li>
 * </ul>
 * Refused with a 400 naming the parameter: {@code n > 1}, {@code functions}, non-function tools,
 * {@code response_format} other than {@code text}, image URLs that are not {@code data:} URLs.
 * Dropped: sampling details Converse lacks ({@code seed}, penalties, {@code logit_bias},
 * {@code logprobs}, {@code user}, {@code stream_options}...). Stateless.
 */
final class ConverseRequestWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> IMAGE_FORMATS = Map.of("image/png", "png", "image/jpeg", "jpeg", "image/jpg", "jpeg",
            "image/gif", "gif", "image/webp", "webp");

    private ConverseRequestWriter() {
    }

    static ObjectNode write(ChatRequest request) {
        ObjectNode in = request.json();
        refuseUnsupported(in);
        ObjectNode out = NODES.objectNode();
        ArrayNode system = NODES.arrayNode();
        ArrayNode messages = NODES.arrayNode();
        boolean toolBlocks = messages(in.get("messages"), system, messages);
        out.set("messages", messages);
        if (!system.isEmpty()) {
            out.set("system", system);
        }
        ObjectNode inference = NODES.objectNode();
        int maxTokens = request.maxTokens();
        if (maxTokens > 0) {
            inference.put("maxTokens", maxTokens);
        }
        ChatParts.copyNumber(in, "temperature", inference, "temperature");
        ChatParts.copyNumber(in, "top_p", inference, "topP");
        List<JsonNode> stop = ChatParts.stopSequences(in.get("stop"));
        if (!stop.isEmpty()) {
            inference.putArray("stopSequences").addAll(stop);
        }
        if (!inference.isEmpty()) {
            out.set("inferenceConfig", inference);
        }
        tools(in, toolBlocks, out);
        return out;
    }

    private static void refuseUnsupported(ObjectNode in) {
        JsonNode n = in.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.asInt() == 1)) {
            throw GatewayError.invalid("'n' must be 1 for this model: it returns a single choice per request", "n");
        }
        ChatParts.refuseFunctions(in);
        JsonNode format = in.get("response_format");
        if (format != null && format.isObject() && !format.path("type").asText("text").equals("text")) {
            throw GatewayError.invalid("response_format type '" + format.path("type").asText()
                    + "' is not supported for this model (Bedrock Converse); describe the format in the prompt or use a tool",
                    "response_format.type");
        }
    }

    /** @return true when the conversation holds tool calls or results */
    private static boolean messages(JsonNode in, ArrayNode system, ArrayNode out) {
        boolean toolBlocks = false;
        ChatParts.Turns turns = new ChatParts.Turns(out, "content");
        for (int i = 0; i < in.size(); i++) {
            JsonNode message = in.get(i);
            String param = "messages[" + i + "]";
            String role = message.path("role").asText();
            ArrayNode blocks = NODES.arrayNode();
            String turnRole;
            switch (role) {
                case "system", "developer" -> {
                    ChatParts.texts(message.get("content"), param + ".content", t -> system.addObject().set("text", t));
                    continue;
                }
                case "user" -> {
                    turnRole = "user";
                    userContent(message.get("content"), param + ".content", blocks);
                }
                case "assistant" -> {
                    turnRole = "assistant";
                    ChatParts.texts(message.get("content"), param + ".content", t -> blocks.addObject().set("text", t));
                    toolBlocks |= toolUses(message.get("tool_calls"), param + ".tool_calls", blocks);
                }
                case "tool" -> {
                    turnRole = "user";
                    toolBlocks = true;
                    blocks.add(toolResult(message, param));
                }
                default -> throw ChatParts.unknownRole(param, role);
            }
            turns.add(turnRole, blocks);
        }
        return toolBlocks;
    }

    private static void userContent(JsonNode content, String param, ArrayNode out) {
        if (content == null || content.isNull() || content.isTextual()) {
            ChatParts.texts(content, param, t -> out.addObject().set("text", t));
            return;
        }
        if (!content.isArray()) {
            throw GatewayError.invalid(param + " must be a string or an array of content parts, not " + Json.kind(content), param);
        }
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String partParam = param + "[" + j + "]";
            switch (part.path("type").asText()) {
                case "text" -> ChatParts.texts(part.get("text"), partParam + ".text", t -> out.addObject().set("text", t));
                case "image_url" -> out.add(image(part.path("image_url").path("url"), partParam + ".image_url.url"));
                case "file" -> out.add(document(part.path("file"), partParam + ".file", j));
                default -> throw GatewayError.invalid(partParam + ".type '" + part.path("type").asText()
                        + "' is not supported for this model (text, image_url and PDF files are)", partParam + ".type");
            }
        }
    }

    private static ObjectNode image(JsonNode url, String param) {
        if (url == null || !url.isTextual() || !url.asText().regionMatches(true, 0, "data:", 0, 5)) {
            throw GatewayError.invalid(param + " must be a base64 data: URL for this model (Bedrock does not fetch image URLs)", param);
        }
        String[] data = dataUrl(url.asText(), param);
        String format = IMAGE_FORMATS.get(data[0]);
        if (format == null) {
            throw GatewayError.invalid(param + ": image type '" + data[0]
                    + "' is not supported for this model (image/png, image/jpeg, image/gif, image/webp are)", param);
        }
        ObjectNode image = NODES.objectNode().put("format", format);
        image.putObject("source").put("bytes", data[1]);
        ObjectNode block = NODES.objectNode();
        block.set("image", image);
        return block;
    }

    private static ObjectNode document(JsonNode file, String param, int index) {
        JsonNode fileData = file.get("file_data");
        if (fileData == null || !fileData.isTextual() || fileData.asText().isEmpty()) {
            throw GatewayError.invalid(param + ".file_data is required for this model (uploaded file_id references are not supported)",
                    param + ".file_data");
        }
        String value = fileData.asText();
        String[] data = value.regionMatches(true, 0, "data:", 0, 5) ? dataUrl(value, param + ".file_data")
                : new String[]{"application/pdf", value};
        if (!data[0].equals("application/pdf")) {
            throw GatewayError.invalid(param + ".file_data: file type '" + data[0] + "' is not supported for this model (application/pdf is)",
                    param + ".file_data");
        }
        // Converse requires a document name: letters, digits, spaces, hyphens, parentheses, brackets.
        String name = file.path("filename").asText("document-" + index).replaceAll("\\.[A-Za-z0-9]+$", "")
                .replaceAll("[^A-Za-z0-9 ()\\[\\]-]", "-");
        ObjectNode document = NODES.objectNode().put("format", "pdf").put("name", name.isBlank() ? "document-" + index : name);
        document.putObject("source").put("bytes", data[1]);
        ObjectNode block = NODES.objectNode();
        block.set("document", document);
        return block;
    }

    /** {@code data:<media type>[;params];base64,<data>} as {media type, base64}. */
    private static String[] dataUrl(String url, String param) {
        int comma = url.indexOf(',');
        if (comma < 0 || !url.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
            throw GatewayError.invalid(param + " must be a base64 data: URL (data:<type>;base64,...)", param);
        }
        String header = url.substring(5, comma);
        return new String[]{header.substring(0, header.indexOf(';')).trim().toLowerCase(Locale.ROOT), url.substring(comma + 1)};
    }

    private static boolean toolUses(JsonNode calls, String param, ArrayNode out) {
        if (calls == null || calls.isNull()) {
            return false;
        }
        if (!calls.isArray()) {
            throw GatewayError.invalid(param + " must be an array, not " + Json.kind(calls), param);
        }
        for (int j = 0; j < calls.size(); j++) {
            String callParam = param + "[" + j + "]";
            JsonNode call = calls.get(j);
            ObjectNode use = NODES.objectNode();
            use.set("toolUseId", ChatParts.requireText(call.get("id"), callParam + ".id"));
            use.set("name", ChatParts.requireText(call.path("function").get("name"), callParam + ".function.name"));
            use.set("input", ChatParts.toolArguments(call.path("function").get("arguments"), callParam + ".function.arguments"));
            out.addObject().set("toolUse", use);
        }
        return !calls.isEmpty();
    }

    private static ObjectNode toolResult(JsonNode message, String param) {
        ObjectNode result = NODES.objectNode();
        result.set("toolUseId", ChatParts.requireText(message.get("tool_call_id"), param + ".tool_call_id"));
        ArrayNode content = result.putArray("content");
        ChatParts.texts(message.get("content"), param + ".content", t -> content.addObject().set("text", t));
        if (content.isEmpty()) {
            content.addObject().put("text", "");
        }
        ObjectNode block = NODES.objectNode();
        block.set("toolResult", result);
        return block;
    }

    private static void tools(ObjectNode in, boolean toolBlocks, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools == null || tools.isNull() || (tools.isArray() && tools.isEmpty())) {
            return;
        }
        if (!tools.isArray()) {
            throw GatewayError.invalid("'tools' must be an array, not " + Json.kind(tools), "tools");
        }
        JsonNode choice = in.get("tool_choice");
        boolean none = choice != null && choice.isTextual() && choice.asText().equals("none");
        if (none && !toolBlocks) {
            return; // Converse has no "none": a request without tools cannot call one
        }
        ObjectNode config = out.putObject("toolConfig");
        ArrayNode specs = config.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            specs.addObject().set("toolSpec", toolSpec(tools.get(i), "tools[" + i + "]"));
        }
        if (!none) {
            ObjectNode converted = toolChoice(choice);
            if (converted != null) {
                config.set("toolChoice", converted);
            }
        }
    }

    private static ObjectNode toolSpec(JsonNode tool, String param) {
        JsonNode function = ChatParts.function(tool, param);
        ObjectNode spec = NODES.objectNode();
        spec.set("name", function.get("name"));
        JsonNode description = function.get("description");
        if (description != null && description.isTextual() && !description.asText().isEmpty()) {
            spec.set("description", description);
        }
        JsonNode parameters = function.get("parameters");
        ObjectNode schema = spec.putObject("inputSchema");
        if (parameters == null || parameters.isNull()) {
            schema.putObject("json").put("type", "object").putObject("properties");
        } else {
            schema.set("json", parameters);
        }
        return spec;
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) {
            return null;
        }
        if (choice.isTextual()) {
            return switch (choice.asText()) {
                case "auto" -> objectWith("auto");
                case "required" -> objectWith("any");
                default -> throw GatewayError.invalid("'tool_choice' must be auto, none, required or a function, not '"
                        + choice.asText() + "'", "tool_choice");
            };
        }
        JsonNode name = choice.path("function").get("name");
        if (!choice.path("type").asText().equals("function") || name == null || !name.isTextual()) {
            throw GatewayError.invalid("'tool_choice' object must be {\"type\":\"function\",\"function\":{\"name\":...}} for this model",
                    "tool_choice");
        }
        ObjectNode out = NODES.objectNode();
        out.putObject("tool").set("name", name);
        return out;
    }

    private static ObjectNode objectWith(String field) {
        ObjectNode out = NODES.objectNode();
        out.putObject(field);
        return out;
    }

}
