package io.agentgateway.llm.anthropic;

import io.agentgateway.llm.openai.BufferOutputStream;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Anthropic Messages API clients (the Anthropic SDKs, Claude Code) to providers that speak OpenAI
 * chat completions — the reverse of {@link OpenAiToAnthropic}:
 * <ul>
 *   <li>requests: {@code system} and {@code messages} as chat messages ({@link ChatMessages}),
 *       custom tools as function tools, {@code tool_choice} ({@code auto}, {@code any} as
 *       {@code required}, {@code tool}, {@code none}; {@code disable_parallel_tool_use} as
 *       {@code parallel_tool_calls: false}), {@code max_tokens}, {@code stop_sequences} as
 *       {@code stop}, {@code temperature}, {@code top_p}, {@code metadata.user_id} as {@code user}.
 *       {@code top_k}, {@code thinking}, {@code cache_control} and {@code service_tier} have no
 *       chat equivalent and are dropped; server tools ({@code web_search_*}, {@code bash_*}, ...)
 *       and {@code mcp_servers} are refused with a 400;</li>
 *   <li>answers: a {@code message} with a text block and one {@code tool_use} block per tool call,
 *       the finish reason as {@code stop_reason}, usage with cached prompt tokens as
 *       {@code cache_read_input_tokens} (Anthropic counts them apart from {@code input_tokens});</li>
 *   <li>streams: Anthropic's events ({@link AnthropicEvents});</li>
 *   <li>errors: OpenAI's error shape as Anthropic's, type mapped, status kept.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class AnthropicToOpenAi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory JSON = Json.factory();

    private AnthropicToOpenAi() {
    }

    /** @throws GatewayError 400 naming the parameter that cannot be translated */
    public static ObjectNode chatRequest(MessagesRequest request) {
        ObjectNode in = request.json();
        if (in.hasNonNull("mcp_servers")) {
            throw GatewayError.invalid("mcp_servers: not supported for this model: its provider is reached through OpenAI chat"
                    + " completions", "mcp_servers");
        }
        ObjectNode chat = NODES.objectNode();
        chat.put("model", request.model());
        chat.set("messages", ChatMessages.of(in));
        if (request.maxTokens() > 0) {
            chat.put("max_tokens", request.maxTokens());
        }
        for (String field : new String[]{"temperature", "top_p"}) {
            JsonNode v = in.get(field);
            if (v != null && v.isNumber()) {
                chat.set(field, v);
            }
        }
        JsonNode stop = in.get("stop_sequences");
        if (stop != null && stop.isArray() && !stop.isEmpty()) {
            chat.set("stop", stop);
        }
        JsonNode user = in.path("metadata").get("user_id");
        if (user != null && user.isTextual()) {
            chat.set("user", user);
        }
        tools(in, chat);
        if (request.stream()) {
            chat.put("stream", true);
            chat.putObject("stream_options").put("include_usage", true);
        }
        return chat;
    }

    private static void tools(ObjectNode in, ObjectNode chat) {
        JsonNode tools = in.get("tools");
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return;
        }
        ArrayNode out = chat.putArray("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom")) {
                throw GatewayError.invalid("tools." + i + ".type: '" + type + "' is not supported for this model: its provider"
                        + " is reached through OpenAI chat completions, which take custom tools only", "tools." + i + ".type");
            }
            ObjectNode function = out.addObject().put("type", "function").putObject("function");
            function.put("name", tool.path("name").asText(""));
            if (tool.path("description").isTextual()) {
                function.set("description", tool.get("description"));
            }
            function.set("parameters", tool.path("input_schema").isObject() ? tool.get("input_schema")
                    : NODES.objectNode().put("type", "object"));
        }
        JsonNode choice = in.get("tool_choice");
        if (choice == null || !choice.isObject()) {
            return;
        }
        switch (choice.path("type").asText("auto")) {
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", choice.path("name").asText(""));
            default -> chat.put("tool_choice", "auto");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            chat.put("parallel_tool_calls", false);
        }
    }

    /**
     * A chat completion (OpenAI's shape) as an Anthropic {@code message}.
     *
     * @param usage the usage the provider's chat translator read from it
     * @throws GatewayError 502 when the body is not a chat completion
     */
    public static Buffer response(Buffer chatCompletion, Usage usage) {
        JsonNode completion = OpenAiToOpenAi.completion(chatCompletion);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        Buffer out = Buffer.buffer(256);
        try (JsonGenerator g = JSON.createGenerator(new BufferOutputStream(out))) {
            g.writeStartObject();
            g.writeStringField("id", messageId(completion.path("id").asText("")));
            g.writeStringField("type", "message");
            g.writeStringField("role", "assistant");
            g.writeStringField("model", completion.path("model").asText(""));
            g.writeArrayFieldStart("content");
            JsonNode text = message.get("content");
            if (text != null && text.isTextual() && !text.asText().isEmpty()) {
                g.writeStartObject();
                g.writeStringField("type", "text");
                g.writeStringField("text", text.asText());
                g.writeEndObject();
            }
            for (JsonNode call : message.path("tool_calls")) {
                g.writeStartObject();
                g.writeStringField("type", "tool_use");
                g.writeStringField("id", call.path("id").asText(""));
                g.writeStringField("name", call.path("function").path("name").asText(""));
                g.writeFieldName("input");
                Json.MAPPER.writeTree(g, arguments(call.path("function").path("arguments").asText("")));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("stop_reason", stopReason(choice.path("finish_reason").asText(null)));
            g.writeNullField("stop_sequence");
            writeUsage(g, usage, usage.inputTokens());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** An OpenAI error body (as the provider's chat translator gives it) as Anthropic's, for the same status. */
    public static Buffer error(int status, Buffer openAiError) {
        JsonNode error = null;
        try {
            JsonNode node = Json.MAPPER.readTree(openAiError.getBytes());
            error = node == null ? null : node.get("error");
        } catch (IOException e) {
            // described below
        }
        String message = error != null && error.path("message").isTextual() ? error.get("message").asText()
                : "the provider answered HTTP " + status;
        return AnthropicErrorRenderer.body(AnthropicErrorRenderer.type(status), message, null);
    }

    /**
     * Per-stream state turning chat chunks into Anthropic's event stream.
     *
     * @param promptEstimate the gateway's count of the prompt, reported in {@code message_start}
     *                       until the provider's own count arrives with the final {@code message_delta}
     */
    public static ChunkTranslator stream(MessagesRequest request, long promptEstimate) {
        return new AnthropicEvents(request.model(), promptEstimate);
    }

    /**
     * Writes Anthropic's {@code usage} field: input without the cached prompt tokens (Anthropic
     * counts cache reads apart), cache reads, no cache writes (chat providers report none).
     */
    static void writeUsage(JsonGenerator g, Usage usage, long prompt) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", Math.max(0, prompt - usage.cachedInputTokens()));
        g.writeNumberField("cache_creation_input_tokens", 0);
        g.writeNumberField("cache_read_input_tokens", usage.cachedInputTokens());
        g.writeNumberField("output_tokens", usage.outputTokens());
        g.writeEndObject();
    }

    static String messageId(String chatId) {
        return chatId.startsWith("msg_") ? chatId : "msg_" + chatId;
    }

    /** Anthropic's stop reason for a chat finish reason. */
    static String stopReason(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** A tool call's arguments string as the JSON object Anthropic's {@code input} is; not an object, it is kept under {@code arguments}. */
    private static JsonNode arguments(String arguments) {
        if (arguments.isBlank()) {
            return NODES.objectNode();
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(arguments);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (IOException e) {
            // kept as text below
        }
        return NODES.objectNode().put("arguments", arguments);
    }
}
