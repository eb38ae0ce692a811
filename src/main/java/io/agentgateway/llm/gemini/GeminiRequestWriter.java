package io.agentgateway.llm.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.ChatParts;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI chat-completions request as a Gemini {@code generateContent} body (the model goes in
 * the path). Builds a new tree; the request is not changed.
 * <ul>
 *   <li>system and developer messages to {@code systemInstruction};</li>
 *   <li>user and tool messages to {@code user} contents, assistant messages to {@code model}
 *       contents, with {@code text}, {@code inlineData} (base64 {@code data:} URLs; other URLs as
 *       {@code fileData}), {@code functionCall} and {@code functionResponse} parts (a tool result
 *       is named after the call it answers); consecutive turns of one role merged;</li>
 *   <li>{@code max_completion_tokens}/{@code max_tokens}, {@code temperature}, {@code top_p},
 *       {@code top_k}, {@code stop}, {@code n}, {@code seed}, penalties and {@code response_format}
 *       to {@code generationConfig};</li>
 *   <li>function tools and {@code tool_choice} to {@code tools[].functionDeclarations} and
 *       {@code toolConfig.functionCallingConfig}.</li>
 * </ul>
 * Refused with a 400 naming the parameter: {@code functions}, non-function tools. Dropped:
 * {@code logit_bias}, {@code logprobs}, {@code user}, {@code stream_options}... Stateless.
 */
final class GeminiRequestWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GeminiRequestWriter() {
    }

    static ObjectNode write(ChatRequest request) {
        ObjectNode in = request.json();
        ChatParts.refuseFunctions(in);
        ObjectNode out = NODES.objectNode();
        ArrayNode system = NODES.arrayNode();
        out.set("contents", contents(in.get("messages"), system));
        if (!system.isEmpty()) {
            out.putObject("systemInstruction").set("parts", system);
        }
        tools(in, out);
        ObjectNode config = generationConfig(request, in);
        if (!config.isEmpty()) {
            out.set("generationConfig", config);
        }
        return out;
    }

    private static ArrayNode contents(JsonNode messages, ArrayNode system) {
        ArrayNode out = NODES.arrayNode();
        Map<String, String> callNames = new HashMap<>();
        ChatParts.Turns turns = new ChatParts.Turns(out, "parts");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String param = "messages[" + i + "]";
            String role = message.path("role").asText();
            ArrayNode parts = NODES.arrayNode();
            String turnRole;
            switch (role) {
                case "system", "developer" -> {
                    ChatParts.texts(message.get("content"), param + ".content", t -> system.addObject().set("text", t));
                    continue;
                }
                case "user" -> {
                    turnRole = "user";
                    userParts(message.get("content"), param + ".content", parts);
                }
                case "assistant" -> {
                    turnRole = "model";
                    ChatParts.texts(message.get("content"), param + ".content", t -> parts.addObject().set("text", t));
                    functionCalls(message.get("tool_calls"), param + ".tool_calls", parts, callNames);
                }
                case "tool" -> {
                    turnRole = "user";
                    parts.add(functionResponse(message, param, callNames));
                }
                default -> throw ChatParts.unknownRole(param, role);
            }
            turns.add(turnRole, parts);
        }
        return out;
    }

    private static void userParts(JsonNode content, String param, ArrayNode out) {
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
                case "image_url" -> out.add(media(part.path("image_url").path("url"), null, partParam + ".image_url.url"));
                case "file" -> out.add(media(part.path("file").path("file_data"), "application/pdf", partParam + ".file.file_data"));
                case "input_audio" -> {
                    JsonNode audio = part.path("input_audio");
                    ObjectNode inline = out.addObject().putObject("inlineData");
                    inline.put("mimeType", "audio/" + audio.path("format").asText("wav"));
                    inline.set("data", audio.path("data"));
                }
                default -> throw GatewayError.invalid(partParam + ".type '" + part.path("type").asText()
                        + "' is not supported for this model (text, image_url, input_audio and files are)", partParam + ".type");
            }
        }
    }

    /** A {@code data:} URL as inline data, any other URL as file data (Gemini reads gs:// and https:// URLs). */
    private static ObjectNode media(JsonNode url, String defaultType, String param) {
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw GatewayError.invalid(param + " is required and must be a string", param);
        }
        String value = url.asText();
        ObjectNode part = NODES.objectNode();
        if (value.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = value.indexOf(',');
            if (comma < 0 || !value.substring(0, comma).toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw GatewayError.invalid(param + " must be a base64 data: URL (data:<type>;base64,...)", param);
            }
            String header = value.substring(5, comma);
            part.putObject("inlineData").put("mimeType", header.substring(0, header.indexOf(';')).trim().toLowerCase(Locale.ROOT))
                    .put("data", value.substring(comma + 1));
        } else if (defaultType != null && !value.contains("://")) {
            part.putObject("inlineData").put("mimeType", defaultType).put("data", value); // bare base64 file data
        } else {
            ObjectNode file = part.putObject("fileData").put("fileUri", value);
            if (defaultType != null) {
                file.put("mimeType", defaultType);
            }
        }
        return part;
    }

    private static void functionCalls(JsonNode calls, String param, ArrayNode out, Map<String, String> callNames) {
        if (calls == null || calls.isNull()) {
            return;
        }
        if (!calls.isArray()) {
            throw GatewayError.invalid(param + " must be an array, not " + Json.kind(calls), param);
        }
        for (int j = 0; j < calls.size(); j++) {
            String callParam = param + "[" + j + "]";
            JsonNode call = calls.get(j);
            JsonNode name = ChatParts.requireText(call.path("function").get("name"), callParam + ".function.name");
            ObjectNode fc = out.addObject().putObject("functionCall");
            fc.set("name", name);
            fc.set("args", ChatParts.toolArguments(call.path("function").get("arguments"), callParam + ".function.arguments"));
            JsonNode id = call.get("id");
            if (id != null && id.isTextual()) {
                callNames.put(id.asText(), name.asText());
            }
        }
    }

    /** Gemini matches a function response to its call by name: taken from the assistant turn that made the call. */
    private static ObjectNode functionResponse(JsonNode message, String param, Map<String, String> callNames) {
        String id = ChatParts.requireText(message.get("tool_call_id"), param + ".tool_call_id").asText();
        String name = callNames.get(id);
        if (name == null) {
            throw GatewayError.invalid(param + ".tool_call_id '" + id + "' answers no tool call of an earlier assistant message",
                    param + ".tool_call_id");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode parts = NODES.arrayNode();
        ChatParts.texts(message.get("content"), param + ".content", t -> parts.addObject().set("text", t));
        parts.forEach(p -> text.append(p.path("text").asText()));
        JsonNode response;
        try {
            JsonNode parsed = Json.MAPPER.readTree(text.toString());
            response = parsed != null && parsed.isObject() ? parsed : NODES.objectNode().put("result", text.toString());
        } catch (JsonProcessingException e) {
            response = NODES.objectNode().put("result", text.toString());
        }
        ObjectNode part = NODES.objectNode();
        ObjectNode fr = part.putObject("functionResponse").put("name", name);
        fr.set("response", response);
        return part;
    }

    private static void tools(ObjectNode in, ObjectNode out) {
        JsonNode tools = in.get("tools");
        if (tools == null || tools.isNull() || (tools.isArray() && tools.isEmpty())) {
            return;
        }
        if (!tools.isArray()) {
            throw GatewayError.invalid("'tools' must be an array, not " + Json.kind(tools), "tools");
        }
        ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode function = ChatParts.function(tools.get(i), "tools[" + i + "]");
            ObjectNode declaration = declarations.addObject();
            declaration.set("name", function.get("name"));
            JsonNode description = function.get("description");
            if (description != null && description.isTextual() && !description.asText().isEmpty()) {
                declaration.set("description", description);
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull()) {
                declaration.set("parametersJsonSchema", parameters);
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        ObjectNode calling = out.putObject("toolConfig").putObject("functionCallingConfig");
        if (choice.isTextual()) {
            calling.put("mode", switch (choice.asText()) {
                case "auto" -> "AUTO";
                case "none" -> "NONE";
                case "required" -> "ANY";
                default -> throw GatewayError.invalid("'tool_choice' must be auto, none, required or a function, not '"
                        + choice.asText() + "'", "tool_choice");
            });
            return;
        }
        JsonNode name = choice.path("function").get("name");
        if (!choice.path("type").asText().equals("function") || name == null || !name.isTextual()) {
            throw GatewayError.invalid("'tool_choice' object must be {\"type\":\"function\",\"function\":{\"name\":...}} for this model",
                    "tool_choice");
        }
        calling.put("mode", "ANY").putArray("allowedFunctionNames").add(name);
    }

    private static ObjectNode generationConfig(ChatRequest request, ObjectNode in) {
        ObjectNode config = NODES.objectNode();
        if (request.maxTokens() > 0) {
            config.put("maxOutputTokens", request.maxTokens());
        }
        ChatParts.copyNumber(in, "temperature", config, "temperature");
        ChatParts.copyNumber(in, "top_p", config, "topP");
        ChatParts.copyNumber(in, "top_k", config, "topK");
        ChatParts.copyNumber(in, "n", config, "candidateCount");
        ChatParts.copyNumber(in, "seed", config, "seed");
        ChatParts.copyNumber(in, "presence_penalty", config, "presencePenalty");
        ChatParts.copyNumber(in, "frequency_penalty", config, "frequencyPenalty");
        List<JsonNode> stop = ChatParts.stopSequences(in.get("stop"));
        if (!stop.isEmpty()) {
            config.putArray("stopSequences").addAll(stop);
        }
        JsonNode format = in.get("response_format");
        if (format != null && format.isObject()) {
            switch (format.path("type").asText()) {
                case "json_object" -> config.put("responseMimeType", "application/json");
                case "json_schema" -> {
                    JsonNode schema = format.path("json_schema").get("schema");
                    if (schema == null || !schema.isObject()) {
                        throw GatewayError.invalid("response_format.json_schema.schema is required and must be an object",
                                "response_format.json_schema.schema");
                    }
                    config.put("responseMimeType", "application/json");
                    config.set("responseJsonSchema", schema);
                }
                default -> {
                    // text: Gemini's default
                }
            }
        }
        return config;
    }

}
