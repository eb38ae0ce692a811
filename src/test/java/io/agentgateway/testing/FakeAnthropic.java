package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream speaking Anthropic's Messages API as its reference shows it: {@code POST /v1/messages}
 * answered with a message object, or with the event stream (message_start, content_block_start,
 * ping, content_block_delta, content_block_stop, message_delta, message_stop). Answers text, or a
 * {@code tool_use} block when the request offers tools and the last turn is not a tool result.
 * {@code POST /v1/messages/count_tokens} answers {@value #COUNTED_TOKENS}. Requests without
 * {@code x-api-key} get Anthropic's 401 error object.
 */
public final class FakeAnthropic implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int INPUT_TOKENS = 25;
    public static final int OUTPUT_TOKENS = 12;
    /** What {@code /v1/messages/count_tokens} answers. */
    public static final int COUNTED_TOKENS = 14;

    /** One request as the upstream saw it: path, headers, parsed body and the body's exact text. */
    public record Received(String path, MultiMap headers, JsonNode body, String raw) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final LoopbackServer server;

    private FakeAnthropic() {
        this.server = LoopbackServer.start(this::handle);
    }

    public static FakeAnthropic start() {
        return new FakeAnthropic();
    }

    public String baseUrl() {
        return server.url() + "/v1";
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            HttpServerResponse response = request.response();
            JsonNode json;
            try {
                json = JSON.readTree(body.getBytes());
            } catch (Exception e) {
                error(response, 400, "invalid_request_error", "invalid JSON");
                return;
            }
            received.add(new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json, body.toString()));
            if (request.path().equals("/v1/messages/count_tokens") && request.getHeader("x-api-key") != null) {
                response.putHeader("content-type", "application/json").end("{\"input_tokens\":" + COUNTED_TOKENS + "}");
                return;
            }
            if (!request.path().equals("/v1/messages")) {
                error(response, 404, "not_found_error", "Not found");
                return;
            }
            if (request.getHeader("x-api-key") == null) {
                error(response, 401, "authentication_error", "invalid x-api-key");
                return;
            }
            if (!json.path("max_tokens").isInt()) {
                error(response, 400, "invalid_request_error", "max_tokens: Field required");
                return;
            }
            JsonNode messages = json.path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            boolean lastIsToolResult = last.path("content").isArray() && last.path("content").size() > 0
                    && "tool_result".equals(last.path("content").get(0).path("type").asText());
            String tool = json.path("tools").isArray() && !json.path("tools").isEmpty() && !lastIsToolResult
                    ? json.path("tools").get(0).path("name").asText() : null;
            String model = json.path("model").asText();
            if (json.path("stream").asBoolean(false)) {
                stream(response, model, tool);
            } else {
                response.putHeader("content-type", "application/json").end(message(model, tool).toString());
            }
        });
    }

    private static ObjectNode message(String model, String tool) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", "msg_013Zva2CMHLNnXjNJJKqJ2EF");
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        ArrayNode content = m.putArray("content");
        if (tool != null) {
            ObjectNode use = content.addObject();
            use.put("type", "tool_use");
            use.put("id", "toolu_01A09q90qw90lq917835lq9");
            use.put("name", tool);
            use.putObject("input").put("location", "San Francisco, CA");
        } else {
            content.addObject().put("type", "text").put("text", "Hi! My name is Claude.");
        }
        m.put("stop_reason", tool != null ? "tool_use" : "end_turn");
        m.putNull("stop_sequence");
        m.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", OUTPUT_TOKENS)
                .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
        return m;
    }

    private void stream(HttpServerResponse response, String model, String tool) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        event(response, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + INPUT_TOKENS + ",\"output_tokens\":1}}}");
        if (tool != null) {
            event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                    + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"" + tool + "\",\"input\":{}}}");
            event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"San Fra\"}}");
            event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ncisco, CA\\\"}\"}}");
        } else {
            event(response, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
            event(response, "ping", "{\"type\": \"ping\"}");
            for (String part : new String[]{"Hi! ", "My name ", "is Claude."}) {
                event(response, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + part + "\"}}");
            }
        }
        event(response, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        event(response, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + (tool != null ? "tool_use" : "end_turn")
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + OUTPUT_TOKENS + "}}");
        event(response, "message_stop", "{\"type\":\"message_stop\"}");
        response.end();
    }

    private static void event(HttpServerResponse response, String name, String data) {
        response.write("event: " + name + "\ndata: " + data + "\n\n");
    }

    private static void error(HttpServerResponse response, int status, String type, String message) {
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}");
    }

    @Override
    public void close() {
        server.close();
    }
}
