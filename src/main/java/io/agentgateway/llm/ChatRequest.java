package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

/**
 * An OpenAI chat-completions request, parsed once and checked for what the gateway relies on
 * ({@code model}, {@code messages}). Keeps the raw bytes, so an unchanged request is forwarded
 * without re-serialising. Confined to its request's event loop.
 */
public final class ChatRequest {
    private final Buffer raw;
    private final ObjectNode json;
    private final String model;
    private final boolean stream;
    private final boolean clientWantsStreamUsage;
    private long promptEstimate = -1;

    private ChatRequest(Buffer raw, ObjectNode json, String model, boolean stream) {
        this.raw = raw;
        this.json = json;
        this.model = model;
        this.stream = stream;
        JsonNode opts = json.get("stream_options");
        this.clientWantsStreamUsage = opts != null && opts.path("include_usage").asBoolean(false);
    }

    public static ChatRequest parse(Buffer body) {
        ObjectNode json = Json.parseObject(body);
        String model = requireModel(json);
        JsonNode messages = json.get("messages");
        if (messages == null || messages.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'messages'", "messages");
        }
        if (!messages.isArray()) {
            throw GatewayError.invalid("'messages' must be an array of message objects, not " + Json.kind(messages), "messages");
        }
        if (messages.isEmpty()) {
            throw GatewayError.invalid("'messages' must contain at least one message", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw GatewayError.invalid("messages[" + i + "] must be an object, not " + Json.kind(m), "messages[" + i + "]");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw GatewayError.invalid("messages[" + i + "].role is required and must be a string", "messages[" + i + "].role");
            }
        }
        JsonNode stream = json.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw GatewayError.invalid("'stream' must be a boolean, not " + Json.kind(stream), "stream");
        }
        return new ChatRequest(body, json, model, stream != null && stream.asBoolean());
    }

    static String requireModel(ObjectNode json) {
        JsonNode model = json.get("model");
        if (model == null || model.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'model'", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("'model' must be a non-empty string", "model");
        }
        return model.asText();
    }

    public Buffer raw() {
        return raw;
    }

    /**
     * The parsed body, shared by every reader of the request: read it, never change it (a
     * translator builds its own output, see {@link ChatTranslator}).
     */
    public ObjectNode json() {
        return json;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** True when the client itself asked for the usage chunk ({@code stream_options.include_usage}). */
    public boolean clientWantsStreamUsage() {
        return clientWantsStreamUsage;
    }

    /** The completion cap the client set ({@code max_completion_tokens}, else {@code max_tokens}), or -1. */
    public int maxTokens() {
        JsonNode n = json.get("max_completion_tokens");
        if (n == null || !n.canConvertToInt()) {
            n = json.get("max_tokens");
        }
        return n != null && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : -1;
    }

    /**
     * Prompt tokens as an OpenAI tokenizer counts the message texts, plus a few per message for
     * framing. Counted once per request, each message through {@link TokenCounter#countRecent}.
     */
    public long estimatePromptTokens() {
        if (promptEstimate < 0) {
            promptEstimate = countPromptTokens();
        }
        return promptEstimate;
    }

    private long countPromptTokens() {
        long tokens = 3;
        JsonNode messages = json.get("messages");
        StringBuilder text = new StringBuilder();
        for (JsonNode m : messages) {
            text.setLength(0);
            appendText(m.get("content"), text);
            JsonNode calls = m.get("tool_calls");
            if (calls != null) {
                text.append(calls);
            }
            tokens += 4 + TokenCounter.countRecent(text.toString(), model);
        }
        JsonNode tools = json.get("tools");
        if (tools != null) {
            tokens += TokenCounter.countRecent(tools.toString(), model);
        }
        return tokens;
    }

    private static void appendText(JsonNode content, StringBuilder out) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            out.append(content.asText());
        } else if (content.isArray()) {
            for (JsonNode part : content) {
                JsonNode t = part.get("text");
                if (t != null && t.isTextual()) {
                    out.append(t.asText()).append('\n');
                }
            }
        }
    }
}
