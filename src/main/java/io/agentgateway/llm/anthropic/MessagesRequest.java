package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

/**
 * An Anthropic Messages API request ({@code POST /v1/messages}, or its {@code count_tokens}),
 * parsed once and checked for what the gateway relies on: {@code model}, {@code messages} (a
 * non-empty array of user and assistant turns), {@code max_tokens} (required for a message, as
 * Anthropic requires it), {@code stream}. Keeps the raw bytes for pass-through; the tree is never
 * changed. Confined to its request's event loop.
 */
public final class MessagesRequest {
    private final Buffer raw;
    private final ObjectNode json;
    private final String model;
    private final boolean stream;
    private final int maxTokens;

    private MessagesRequest(Buffer raw, ObjectNode json, String model, boolean stream, int maxTokens) {
        this.raw = raw;
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.maxTokens = maxTokens;
    }

    /**
     * @param countTokens a {@code count_tokens} request, which has no {@code max_tokens} and never streams
     * @throws GatewayError 400 naming the parameter, in Anthropic's wording where it has one
     */
    public static MessagesRequest parse(Buffer body, boolean countTokens) {
        ObjectNode json = Json.parseObject(body);
        JsonNode model = json.get("model");
        if (model == null || model.isNull()) {
            throw GatewayError.invalid("model: Field required", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("model: must be a non-empty string", "model");
        }
        JsonNode messages = json.get("messages");
        if (messages == null || messages.isNull()) {
            throw GatewayError.invalid("messages: Field required", "messages");
        }
        if (!messages.isArray()) {
            throw GatewayError.invalid("messages: must be an array of messages, not " + Json.kind(messages), "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (!m.isObject() || !role.equals("user") && !role.equals("assistant")) {
                throw GatewayError.invalid("messages." + i + ".role: must be 'user' or 'assistant'", "messages." + i + ".role");
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual() && !content.isArray()) {
                throw GatewayError.invalid("messages." + i + ".content: must be a string or an array of content blocks",
                        "messages." + i + ".content");
            }
        }
        int maxTokens = -1;
        if (!countTokens) {
            if (messages.isEmpty()) {
                throw GatewayError.invalid("messages: at least one message is required", "messages");
            }
            JsonNode max = json.get("max_tokens");
            if (max == null || max.isNull()) {
                throw GatewayError.invalid("max_tokens: Field required", "max_tokens");
            }
            if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1) {
                throw GatewayError.invalid("max_tokens: must be an integer of at least 1", "max_tokens");
            }
            maxTokens = max.asInt();
        }
        JsonNode stream = json.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw GatewayError.invalid("stream: must be a boolean, not " + Json.kind(stream), "stream");
        }
        return new MessagesRequest(body, json, model.asText(), !countTokens && stream != null && stream.asBoolean(), maxTokens);
    }

    public Buffer raw() {
        return raw;
    }

    /** The parsed body; read only. */
    public ObjectNode json() {
        return json;
    }

    public String model() {
        return model;
    }

    public boolean stream() {
        return stream;
    }

    /** {@code max_tokens}; -1 for a {@code count_tokens} request. */
    public int maxTokens() {
        return maxTokens;
    }
}
