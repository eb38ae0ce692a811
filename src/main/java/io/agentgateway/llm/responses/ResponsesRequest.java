package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

/**
 * An OpenAI Responses API request ({@code POST /v1/responses}), parsed once and checked for what
 * the gateway relies on: {@code model}, {@code input} (a string or an array of items),
 * {@code stream}, {@code previous_response_id}. Keeps the raw bytes for pass-through; the tree is
 * never changed. Confined to its request's event loop.
 */
public final class ResponsesRequest {
    private final Buffer raw;
    private final ObjectNode json;
    private final String model;
    private final boolean stream;
    private final String previousResponseId;

    private ResponsesRequest(Buffer raw, ObjectNode json, String model, boolean stream, String previousResponseId) {
        this.raw = raw;
        this.json = json;
        this.model = model;
        this.stream = stream;
        this.previousResponseId = previousResponseId;
    }

    /** @throws GatewayError 400 naming the parameter that is missing or of the wrong type */
    public static ResponsesRequest parse(Buffer body) {
        ObjectNode json = Json.parseObject(body);
        JsonNode model = json.get("model");
        if (model == null || model.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'model'", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("'model' must be a non-empty string", "model");
        }
        JsonNode input = json.get("input");
        if (input == null || input.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'input'", "input");
        }
        if (!input.isTextual() && !input.isArray()) {
            throw GatewayError.invalid("'input' must be a string or an array of input items, not " + Json.kind(input), "input");
        }
        for (int i = 0; input.isArray() && i < input.size(); i++) {
            if (!input.get(i).isObject()) {
                throw GatewayError.invalid("input[" + i + "] must be an object, not " + Json.kind(input.get(i)), "input[" + i + "]");
            }
        }
        JsonNode stream = json.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw GatewayError.invalid("'stream' must be a boolean, not " + Json.kind(stream), "stream");
        }
        JsonNode previous = json.get("previous_response_id");
        if (previous != null && !previous.isNull() && (!previous.isTextual() || previous.asText().isBlank())) {
            throw GatewayError.invalid("'previous_response_id' must be a non-empty string", "previous_response_id");
        }
        JsonNode instructions = json.get("instructions");
        if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
            throw GatewayError.invalid("'instructions' must be a string, not " + Json.kind(instructions), "instructions");
        }
        return new ResponsesRequest(body, json, model.asText(), stream != null && stream.asBoolean(),
                previous == null || previous.isNull() ? null : previous.asText());
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

    /** The response this one continues, or null. */
    public String previousResponseId() {
        return previousResponseId;
    }

    /** Whether the caller lets the response be stored for a later {@code previous_response_id} (OpenAI's default: yes). */
    public boolean store() {
        JsonNode store = json.get("store");
        return store == null || !store.isBoolean() || store.asBoolean();
    }

    /** {@code max_output_tokens}, or -1 when unset. */
    public int maxOutputTokens() {
        JsonNode n = json.get("max_output_tokens");
        return n != null && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : -1;
    }
}
