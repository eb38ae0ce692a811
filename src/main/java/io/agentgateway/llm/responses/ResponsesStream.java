package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChunkTranslator;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Chat chunks as the Responses API's typed event stream, each event {@code event: <type>} with a
 * {@code data:} object carrying the same {@code type} and a {@code sequence_number}:
 * <ul>
 *   <li>the first chunk: {@code response.created}, {@code response.in_progress};</li>
 *   <li>content: {@code response.output_item.added} (a message), {@code response.content_part.added},
 *       then {@code response.output_text.delta} per fragment;</li>
 *   <li>a tool call: the open item is finished ({@code response.output_text.done},
 *       {@code response.content_part.done}, {@code response.output_item.done}) and a
 *       {@code function_call} item added, its argument fragments as
 *       {@code response.function_call_arguments.delta}, closed by
 *       {@code response.function_call_arguments.done} and {@code response.output_item.done};</li>
 *   <li>the end: {@code response.completed} (or {@code response.incomplete} when the output was
 *       cut) with the whole response and its usage;</li>
 *   <li>an error, in the stream or of it: one {@code error} event.</li>
 * </ul>
 * Not thread-safe: one per stream.
 */
final class ResponsesStream implements ChunkTranslator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResponsesRequest request;
    private final Function<String, String> ids;
    private final long createdAt;
    private final Consumer<ResponsesToChat.Answer> onComplete;
    private final String id;
    private final ArrayNode output = NODES.arrayNode();
    private final ObjectNode assistant = NODES.objectNode().put("role", "assistant");
    private int sequence;
    private String model;
    private boolean started;
    private boolean errored;
    /** The item being written: a message or a function call; null between items. */
    private ObjectNode open;
    private StringBuilder text;
    private int openToolIndex = -1;
    private String finishReason;

    ResponsesStream(ResponsesRequest request, Function<String, String> ids, long createdAt, Consumer<ResponsesToChat.Answer> onComplete) {
        this.request = request;
        this.ids = ids;
        this.createdAt = createdAt;
        this.onComplete = onComplete;
        this.id = ids.apply("resp_");
        this.model = request.model();
    }

    @Override
    public void chunk(ObjectNode chunk, Buffer out) {
        if (!started) {
            started = true;
            if (chunk.path("model").isTextual() && !chunk.get("model").asText().isEmpty()) {
                model = chunk.get("model").asText();
            }
            ObjectNode skeleton = ResponseObject.of(request, id, createdAt, model, "in_progress", NODES.arrayNode(), null, null);
            event(out, "response.created", NODES.objectNode().set("response", skeleton));
            event(out, "response.in_progress", NODES.objectNode().set("response", skeleton));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return; // the usage chunk: the usage is taken at the end
        }
        JsonNode delta = choice.path("delta");
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            textDelta(content.asText(), out);
        }
        JsonNode calls = delta.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                toolCallDelta(call, out);
            }
        }
        JsonNode finish = choice.get("finish_reason");
        if (finish != null && finish.isTextual()) {
            finishReason = finish.asText();
            closeItem(out);
        }
    }

    private void textDelta(String fragment, Buffer out) {
        if (open != null && !open.path("type").asText().equals("message")) {
            closeItem(out);
        }
        if (open == null) {
            open = ResponseObject.message(ids.apply("msg_"), "in_progress", null);
            text = new StringBuilder();
            event(out, "response.output_item.added", NODES.objectNode().put("output_index", output.size()).set("item", open.deepCopy()));
            event(out, "response.content_part.added", part(NODES.objectNode()).set("part", ResponseObject.outputText("")));
        }
        text.append(fragment);
        ObjectNode e = part(NODES.objectNode()).put("delta", fragment);
        e.putArray("logprobs");
        event(out, "response.output_text.delta", e);
    }

    private void toolCallDelta(JsonNode call, Buffer out) {
        int index = call.path("index").asInt(0);
        JsonNode function = call.path("function");
        if (open == null || index != openToolIndex || !open.path("type").asText().equals("function_call")) {
            closeItem(out);
            openToolIndex = index;
            open = ResponseObject.functionCall(ids.apply("fc_"), "in_progress", call.path("id").asText(""),
                    function.path("name").asText(""), "");
            text = new StringBuilder();
            event(out, "response.output_item.added", NODES.objectNode().put("output_index", output.size()).set("item", open.deepCopy()));
        }
        String fragment = function.path("arguments").asText("");
        if (!fragment.isEmpty()) {
            text.append(fragment);
            event(out, "response.function_call_arguments.delta", NODES.objectNode()
                    .put("item_id", open.get("id").asText()).put("output_index", output.size()).put("delta", fragment));
        }
    }

    /** Finishes the open item, if any, with its done events, and adds it to the output. */
    private void closeItem(Buffer out) {
        if (open == null) {
            return;
        }
        int index = output.size();
        String itemId = open.get("id").asText();
        ObjectNode done;
        if (open.path("type").asText().equals("message")) {
            String full = text.toString();
            ObjectNode e = part(NODES.objectNode()).put("text", full);
            e.putArray("logprobs");
            event(out, "response.output_text.done", e);
            event(out, "response.content_part.done", part(NODES.objectNode()).set("part", ResponseObject.outputText(full)));
            done = ResponseObject.message(itemId, ResponseObject.status(finishReason)[0].equals("incomplete") ? "incomplete" : "completed", full);
            assistant.put("content", assistant.path("content").asText("") + full);
        } else {
            String arguments = text.isEmpty() ? "{}" : text.toString();
            event(out, "response.function_call_arguments.done", NODES.objectNode()
                    .put("item_id", itemId).put("output_index", index).put("name", open.get("name").asText()).put("arguments", arguments));
            done = ResponseObject.functionCall(itemId, "completed", open.get("call_id").asText(), open.get("name").asText(), arguments);
            ArrayNode calls = assistant.get("tool_calls") instanceof ArrayNode a ? a : assistant.putArray("tool_calls");
            ObjectNode call = calls.addObject().put("id", open.get("call_id").asText()).put("type", "function");
            call.putObject("function").put("name", open.get("name").asText()).put("arguments", arguments);
            openToolIndex = -1;
        }
        event(out, "response.output_item.done", NODES.objectNode().put("output_index", index).set("item", done));
        output.add(done);
        open = null;
        text = null;
    }

    /** The item, output and content indexes of a text event on the open message. */
    private ObjectNode part(ObjectNode e) {
        return e.put("item_id", open.get("id").asText()).put("output_index", output.size()).put("content_index", 0);
    }

    @Override
    public void error(JsonNode error, Buffer out) {
        errored = true;
        ObjectNode e = NODES.objectNode();
        e.set("code", error.path("code").isTextual() ? error.get("code") : error.path("type"));
        e.put("message", error.path("message").asText("the provider reported an error mid-stream"));
        e.set("param", error.path("param").isTextual() ? error.get("param") : NODES.nullNode());
        event(out, "error", e);
    }

    @Override
    public void done(Usage usage, String responseModel, Buffer out) {
        if (errored) {
            return;
        }
        if (!started) {
            chunk(NODES.objectNode(), out);
        }
        closeItem(out);
        if (responseModel != null) {
            model = responseModel;
        }
        String[] status = ResponseObject.status(finishReason);
        if (!assistant.has("content")) {
            assistant.putNull("content");
        }
        ObjectNode response = ResponseObject.of(request, id, createdAt, model, status[0], output, usage, status[1]);
        event(out, status[0].equals("completed") ? "response.completed" : "response.incomplete",
                NODES.objectNode().set("response", response));
        onComplete.accept(new ResponsesToChat.Answer(Json.write(response), id, assistant));
    }

    @Override
    public void failed(GatewayError error, Buffer out) {
        if (errored) {
            return;
        }
        errored = true;
        ObjectNode e = NODES.objectNode();
        e.put("code", error.code());
        e.put("message", error.getMessage());
        e.putNull("param");
        event(out, "error", e);
    }

    private void event(Buffer out, String type, ObjectNode fields) {
        ObjectNode data = NODES.objectNode().put("type", type);
        data.setAll(fields);
        data.put("sequence_number", sequence++);
        out.appendString("event: ").appendString(type).appendString("\ndata: ")
                .appendBuffer(Json.write(data)).appendString("\n\n");
    }
}
