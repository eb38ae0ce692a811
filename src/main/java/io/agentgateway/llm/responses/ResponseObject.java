package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;

/**
 * Builds OpenAI {@code response} objects and their output items for answers the gateway
 * translated from chat completions: the request's settings echoed as OpenAI echoes them
 * (defaults where the request left them out), so clients that read them back find them.
 * Stateless.
 */
final class ResponseObject {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResponseObject() {
    }

    /**
     * @param status           {@code in_progress}, {@code completed} or {@code incomplete}
     * @param incompleteReason why an incomplete response stopped, or null
     * @param usage            null while in progress
     */
    static ObjectNode of(ResponsesRequest request, String id, long createdAt, String model, String status,
                         ArrayNode output, Usage usage, String incompleteReason) {
        ObjectNode in = request.json();
        ObjectNode r = NODES.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        if (incompleteReason == null) {
            r.putNull("incomplete_details");
        } else {
            r.putObject("incomplete_details").put("reason", incompleteReason);
        }
        r.set("instructions", echo(in, "instructions", NODES.nullNode()));
        r.set("max_output_tokens", echo(in, "max_output_tokens", NODES.nullNode()));
        r.put("model", model);
        r.set("output", output);
        r.set("parallel_tool_calls", echo(in, "parallel_tool_calls", NODES.booleanNode(true)));
        r.set("previous_response_id", echo(in, "previous_response_id", NODES.nullNode()));
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", echo(in.path("reasoning"), "effort", NODES.nullNode()));
        reasoning.putNull("summary");
        r.put("store", request.store());
        r.set("temperature", echo(in, "temperature", NODES.numberNode(1.0)));
        r.set("text", echo(in, "text", NODES.objectNode().set("format", NODES.objectNode().put("type", "text"))));
        r.set("tool_choice", echo(in, "tool_choice", NODES.textNode("auto")));
        r.set("tools", echo(in, "tools", NODES.arrayNode()));
        r.set("top_p", echo(in, "top_p", NODES.numberNode(1.0)));
        r.set("truncation", echo(in, "truncation", NODES.textNode("disabled")));
        if (usage == null) {
            r.putNull("usage");
        } else {
            r.set("usage", usage(usage));
        }
        r.set("user", echo(in, "user", NODES.nullNode()));
        r.set("metadata", echo(in, "metadata", NODES.objectNode()));
        return r;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode u = NODES.objectNode();
        u.put("input_tokens", usage.inputTokens());
        u.putObject("input_tokens_details").put("cached_tokens", usage.cachedInputTokens()).put("cache_write_tokens", 0);
        u.put("output_tokens", usage.outputTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    /** An assistant message item holding one {@code output_text} part. */
    static ObjectNode message(String id, String status, String text) {
        ObjectNode item = NODES.objectNode();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = NODES.objectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode functionCall(String id, String status, String callId, String name, String arguments) {
        ObjectNode item = NODES.objectNode();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        return item;
    }

    /** The response status and incomplete reason for a chat finish reason. */
    static String[] status(String finishReason) {
        if ("length".equals(finishReason)) {
            return new String[]{"incomplete", "max_output_tokens"};
        }
        if ("content_filter".equals(finishReason)) {
            return new String[]{"incomplete", "content_filter"};
        }
        return new String[]{"completed", null};
    }

    private static JsonNode echo(JsonNode in, String field, JsonNode otherwise) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? otherwise : v;
    }
}
