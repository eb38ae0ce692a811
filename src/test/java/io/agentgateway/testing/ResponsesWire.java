package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;

/**
 * OpenAI's Responses API as its reference shows it, for upstreams in tests: a {@code response}
 * object (a message, or a function call when the request offers function tools and does not
 * already carry a call's output), or its typed event stream ({@code response.created} ...
 * {@code response.completed}). Usage: {@value #INPUT_TOKENS} in, {@value #OUTPUT_TOKENS} out.
 */
public final class ResponsesWire {
    public static final int INPUT_TOKENS = 31;
    public static final int OUTPUT_TOKENS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponsesWire() {
    }

    /** Answers {@code request} (a Responses request body) on {@code response}, streamed when it asks. */
    public static void answer(JsonNode request, String text, HttpServerResponse response) {
        String tool = null;
        boolean hasOutput = false;
        for (JsonNode item : request.path("input")) {
            hasOutput |= "function_call_output".equals(item.path("type").asText());
        }
        if (request.path("tools").isArray() && !request.path("tools").isEmpty() && !hasOutput) {
            tool = request.path("tools").get(0).path("name").asText();
        }
        ObjectNode done = response(request, "completed", output(text, tool), true);
        if (!request.path("stream").asBoolean(false)) {
            response.putHeader("content-type", "application/json").end(done.toString());
            return;
        }
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        int[] seq = {0};
        ObjectNode skeleton = response(request, "in_progress", JSON.createArrayNode(), false);
        event(response, seq, "response.created", JSON.createObjectNode().set("response", skeleton));
        event(response, seq, "response.in_progress", JSON.createObjectNode().set("response", skeleton));
        JsonNode item = done.path("output").get(0);
        ObjectNode added = item.deepCopy();
        added.put("status", "in_progress");
        if (tool != null) {
            added.put("arguments", "");
            event(response, seq, "response.output_item.added", JSON.createObjectNode().put("output_index", 0).set("item", added));
            event(response, seq, "response.function_call_arguments.delta", JSON.createObjectNode().put("item_id", item.path("id").asText())
                    .put("output_index", 0).put("delta", item.path("arguments").asText()));
            event(response, seq, "response.function_call_arguments.done", JSON.createObjectNode().put("item_id", item.path("id").asText())
                    .put("output_index", 0).put("arguments", item.path("arguments").asText()));
        } else {
            added.putArray("content");
            event(response, seq, "response.output_item.added", JSON.createObjectNode().put("output_index", 0).set("item", added));
            ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", "");
            part.putArray("annotations");
            event(response, seq, "response.content_part.added", textEvent(item).set("part", part));
            for (String word : text.split("(?<= )")) {
                event(response, seq, "response.output_text.delta", textEvent(item).put("delta", word).set("logprobs", JSON.createArrayNode()));
            }
            event(response, seq, "response.output_text.done", textEvent(item).put("text", text).set("logprobs", JSON.createArrayNode()));
            event(response, seq, "response.content_part.done", textEvent(item).set("part", item.path("content").get(0)));
        }
        event(response, seq, "response.output_item.done", JSON.createObjectNode().put("output_index", 0).set("item", item));
        event(response, seq, "response.completed", JSON.createObjectNode().set("response", done));
        response.end();
    }

    private static ObjectNode textEvent(JsonNode item) {
        return JSON.createObjectNode().put("item_id", item.path("id").asText()).put("output_index", 0).put("content_index", 0);
    }

    private static void event(HttpServerResponse response, int[] seq, String type, ObjectNode fields) {
        ObjectNode data = JSON.createObjectNode().put("type", type);
        data.setAll(fields);
        data.put("sequence_number", seq[0]++);
        response.write("event: " + type + "\ndata: " + data + "\n\n");
    }

    private static ArrayNode output(String text, String tool) {
        ArrayNode output = JSON.createArrayNode();
        if (tool != null) {
            output.addObject().put("type", "function_call").put("id", "fc_67ca09c6bedc8190a7abfec07b1a1332")
                    .put("call_id", "call_unLAR8MvFNptuiZK6K6HCy5k").put("name", tool)
                    .put("arguments", "{\"location\":\"San Francisco, CA\"}").put("status", "completed");
        } else {
            ObjectNode message = output.addObject().put("type", "message").put("id", "msg_67ccd3acc8d48190a77525dc6de64b4104becb25c95c1d41")
                    .put("status", "completed").put("role", "assistant");
            ObjectNode part = message.putArray("content").addObject().put("type", "output_text").put("text", text);
            part.putArray("annotations");
        }
        return output;
    }

    private static ObjectNode response(JsonNode request, String status, ArrayNode output, boolean usage) {
        ObjectNode r = JSON.createObjectNode();
        r.put("id", "resp_67ccd3a9da748190baa7f1570fe91ac604becb25c95c1d41");
        r.put("object", "response");
        r.put("created_at", 1741476777);
        r.put("status", status);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", request.path("instructions").isTextual() ? request.get("instructions") : JSON.nullNode());
        r.putNull("max_output_tokens");
        r.put("model", request.path("model").asText() + "-2025-04-14");
        r.set("output", output);
        r.put("parallel_tool_calls", true);
        r.set("previous_response_id", request.path("previous_response_id").isTextual() ? request.get("previous_response_id") : JSON.nullNode());
        r.putObject("reasoning").putNull("effort").putNull("summary");
        r.put("store", true);
        r.put("temperature", 1.0);
        r.putObject("text").putObject("format").put("type", "text");
        r.put("tool_choice", "auto");
        r.set("tools", request.path("tools").isArray() ? request.get("tools") : JSON.createArrayNode());
        r.put("top_p", 1.0);
        r.put("truncation", "disabled");
        if (usage) {
            ObjectNode u = r.putObject("usage");
            u.put("input_tokens", INPUT_TOKENS);
            u.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
            u.put("output_tokens", OUTPUT_TOKENS);
            u.putObject("output_tokens_details").put("reasoning_tokens", 0);
            u.put("total_tokens", INPUT_TOKENS + OUTPUT_TOKENS);
        } else {
            r.putNull("usage");
        }
        r.putNull("user");
        r.putObject("metadata");
        return r;
    }
}
