package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChunkTranslator;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * OpenAI Responses API clients to providers reached through chat completions (Anthropic through
 * its chat translation, Ollama, vLLM and other OpenAI-compatible servers, Gemini's OpenAI
 * endpoint, the mock):
 * <ul>
 *   <li>requests: {@code instructions} to a system message, the earlier conversation (for
 *       {@code previous_response_id}) and {@code input} to {@code messages} (see
 *       {@link ResponsesInput}), function tools and {@code tool_choice} to chat's shapes,
 *       {@code max_output_tokens} to {@code max_tokens}, {@code text.format} to
 *       {@code response_format}, {@code reasoning.effort} to {@code reasoning_effort}; sampling and
 *       {@code user} as they are. Hosted tools (web search, file search, code interpreter...)
 *       and {@code background} are refused with a 400; {@code include}, {@code truncation},
 *       {@code metadata} and {@code store} only shape the gateway's own answer;</li>
 *   <li>answers: a {@code response} object with a message item and one {@code function_call}
 *       item per tool call, status {@code incomplete} when the output was cut by the token
 *       limit or a content filter, usage in Responses' terms;</li>
 *   <li>streams: the typed events ({@link ResponsesStream}).</li>
 * </ul>
 * Response, message and call ids are the gateway's own ({@code resp_}, {@code msg_},
 * {@code fc_}); times come from the injected {@link Clock}. Immutable and thread-safe.
 */
public final class ResponsesToChat {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final ResponsesToChat INSTANCE = new ResponsesToChat(Clock.systemUTC(), ResponsesToChat::randomId);

    /** The chat request and the conversation it holds (earlier turns and this input, without instructions). */
    public record Conversation(ObjectNode chat, ArrayNode messages) {
    }

    /**
     * A complete translated answer: the client's body, its response id and the assistant's turn
     * as a chat message (what a later {@code previous_response_id} continues from).
     */
    public record Answer(Buffer body, String id, ObjectNode assistant) {
    }

    private final Clock clock;
    private final Function<String, String> ids;

    /** @param ids makes a new id with the given prefix ({@code resp_}, {@code msg_}, {@code fc_}) */
    public ResponsesToChat(Clock clock, Function<String, String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /** A random id: the prefix and 48 hex digits, as unguessable as OpenAI's. */
    public static String randomId(String prefix) {
        byte[] bytes = new byte[24];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /**
     * @param history the chat messages of the conversation {@code previous_response_id} names, or null
     * @throws GatewayError 400 naming the parameter that cannot be translated
     */
    public Conversation chatRequest(ResponsesRequest request, ArrayNode history) {
        ObjectNode in = request.json();
        refuseUnsupported(in);
        ArrayNode conversation = NODES.arrayNode();
        if (history != null) {
            conversation.addAll(history);
        }
        conversation.addAll(ResponsesInput.messages(in.get("input")));
        ObjectNode chat = NODES.objectNode();
        chat.put("model", request.model());
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = in.get("instructions");
        if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
            messages.addObject().put("role", "system").set("content", instructions);
        }
        messages.addAll(conversation);
        if (request.maxOutputTokens() > 0) {
            chat.put("max_tokens", request.maxOutputTokens());
        }
        for (String field : new String[]{"temperature", "top_p", "parallel_tool_calls", "user", "safety_identifier",
                "prompt_cache_key", "service_tier", "top_logprobs"}) {
            JsonNode v = in.get(field);
            if (v != null && !v.isNull()) {
                chat.set(field, v);
            }
        }
        JsonNode effort = in.path("reasoning").get("effort");
        if (effort != null && effort.isTextual()) {
            chat.set("reasoning_effort", effort);
        }
        tools(in, chat);
        format(in.path("text").get("format"), chat);
        if (request.stream()) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new Conversation(chat, conversation);
    }

    private static void refuseUnsupported(ObjectNode in) {
        if (in.path("background").asBoolean(false)) {
            throw GatewayError.invalid("'background' responses are not supported for this model: its provider is reached"
                    + " through chat completions", "background");
        }
        if (in.hasNonNull("prompt")) {
            throw GatewayError.invalid("stored 'prompt' templates are not supported for this model: its provider is reached"
                    + " through chat completions", "prompt");
        }
    }

    private static void tools(ObjectNode in, ObjectNode chat) {
        JsonNode tools = in.get("tools");
        if (tools == null || tools.isNull() || tools.isArray() && tools.isEmpty()) {
            return;
        }
        if (!tools.isArray()) {
            throw GatewayError.invalid("'tools' must be an array, not " + Json.kind(tools), "tools");
        }
        ArrayNode out = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("");
            if (!type.equals("function")) {
                throw GatewayError.invalid("tools[" + i + "].type '" + type + "' is not supported for this model: its provider"
                        + " is reached through chat completions, which take function tools only", "tools[" + i + "].type");
            }
            JsonNode name = tool.get("name");
            if (name == null || !name.isTextual() || name.asText().isEmpty()) {
                throw GatewayError.invalid("tools[" + i + "].name is required and must be a non-empty string", "tools[" + i + "].name");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            function.set("name", name);
            for (String field : new String[]{"description", "parameters", "strict"}) {
                JsonNode v = tool.get(field);
                if (v != null && !v.isNull()) {
                    function.set(field, v);
                }
            }
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual()) {
            chat.set("tool_choice", choice);
        } else if (choice.path("type").asText().equals("function") && choice.path("name").isTextual()) {
            chat.putObject("tool_choice").put("type", "function").putObject("function").set("name", choice.get("name"));
        } else {
            throw GatewayError.invalid("'tool_choice' must be auto, none, required or {\"type\":\"function\",\"name\":...}"
                    + " for this model", "tool_choice");
        }
    }

    private static void format(JsonNode format, ObjectNode chat) {
        if (format == null || !format.isObject()) {
            return;
        }
        switch (format.path("type").asText("")) {
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                for (String field : new String[]{"name", "description", "schema", "strict"}) {
                    JsonNode v = format.get(field);
                    if (v != null && !v.isNull()) {
                        schema.set(field, v);
                    }
                }
            }
            default -> {
                // plain text: chat's default
            }
        }
    }

    /**
     * A complete chat completion (already in OpenAI's chat shape) as a {@code response}.
     *
     * @param usage the usage the provider's translator read
     * @throws GatewayError 502 when the body is not a chat completion
     */
    public Answer response(ResponsesRequest request, Buffer chatCompletion, Usage usage) {
        JsonNode completion = OpenAiToOpenAi.completion(chatCompletion);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = NODES.arrayNode();
        ObjectNode assistant = NODES.objectNode().put("role", "assistant");
        JsonNode content = message.get("content");
        String text = content != null && content.isTextual() ? content.asText() : null;
        JsonNode calls = message.get("tool_calls");
        boolean hasCalls = calls != null && calls.isArray() && !calls.isEmpty();
        String[] status = ResponseObject.status(choice.path("finish_reason").asText(null));
        if (text != null && !text.isEmpty() || !hasCalls) {
            output.add(ResponseObject.message(ids.apply("msg_"), status[0].equals("incomplete") ? "incomplete" : "completed",
                    text == null ? "" : text));
        }
        assistant.put("content", text);
        if (hasCalls) {
            ArrayNode kept = assistant.putArray("tool_calls");
            for (JsonNode call : calls) {
                JsonNode function = call.path("function");
                output.add(ResponseObject.functionCall(ids.apply("fc_"), "completed", call.path("id").asText(""),
                        function.path("name").asText(""), function.path("arguments").asText("{}")));
                kept.add(call);
            }
        }
        String model = completion.path("model").asText(request.model());
        String id = ids.apply("resp_");
        ObjectNode response = ResponseObject.of(request, id, createdAt(completion), model, status[0], output, usage, status[1]);
        return new Answer(Json.write(response), id, assistant);
    }

    /**
     * Per-stream state turning chat chunks into the Responses event stream.
     *
     * @param onComplete called once the stream completed, with the finished answer
     */
    public ChunkTranslator stream(ResponsesRequest request, Consumer<Answer> onComplete) {
        return new ResponsesStream(request, ids, clock.instant().getEpochSecond(), onComplete);
    }

    private long createdAt(JsonNode completion) {
        JsonNode created = completion.get("created");
        return created != null && created.canConvertToLong() && created.asLong() > 0 ? created.asLong() : clock.instant().getEpochSecond();
    }
}
