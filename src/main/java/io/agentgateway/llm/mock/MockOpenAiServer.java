package io.agentgateway.llm.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.TokenCounter;
import io.agentgateway.server.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code mock} provider: a small OpenAI-compatible server on a loopback port that answers
 * deterministically, with realistic usage and real SSE streaming, so the quickstart, demos and
 * benchmarks run with no cloud account. The gateway reaches it through the same code path as any
 * OpenAI-wire provider. Answers echo the last user message; a request offering tools gets a call
 * of the first tool, and a tool result gets a short answer quoting it.
 *
 * <p>Started once per process, on demand; thread-safe.
 */
public final class MockOpenAiServer {
    private static final int CHUNK_DELAY_MILLIS = 15;

    private final Vertx vertx;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private HttpServer server;

    public MockOpenAiServer(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    /** Starts on an ephemeral loopback port; completes with the base URL ({@code http://127.0.0.1:PORT/v1}). */
    public Future<String> start() {
        server = vertx.createHttpServer();
        server.requestHandler(this::handle);
        return server.listen(0, "127.0.0.1").map(s -> "http://127.0.0.1:" + s.actualPort() + "/v1");
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest request) {
        // Its usage is counted with the tokenizer, which may still be loading right after a start.
        Future<Buffer> read = TokenCounter.isLoaded() ? request.body() : request.body().compose(body ->
                Future.fromCompletionStage(TokenCounter.loaded(), vertx.getOrCreateContext()).map(v -> body));
        read.onSuccess(body -> {
            try {
                switch (request.path()) {
                    case "/v1/chat/completions" -> chat(Json.parseObject(body), request.response());
                    case "/v1/embeddings" -> embeddings(Json.parseObject(body), request.response());
                    default -> error(request.response(), 404, "Unknown request URL: " + request.path());
                }
            } catch (RuntimeException e) {
                error(request.response(), 400, e.getMessage());
            }
        });
    }

    private void chat(ObjectNode req, HttpServerResponse response) {
        String model = req.path("model").asText("mock");
        JsonNode messages = req.path("messages");
        JsonNode last = messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : null;
        String prompt = messages.toString();
        long promptTokens = TokenCounter.count(prompt, model);
        String id = "chatcmpl-mock" + Long.toHexString(ids.incrementAndGet());
        long created = clock.instant().getEpochSecond();
        JsonNode tools = req.path("tools");
        boolean callTool = tools.isArray() && !tools.isEmpty() && last != null && "user".equals(last.path("role").asText())
                && !"none".equals(req.path("tool_choice").asText());
        MockAnswer answer = callTool
                ? MockAnswer.toolCall(tools.get(0).path("function").path("name").asText("tool"), "call_" + id.substring(13))
                : MockAnswer.text(reply(last), req.path("max_completion_tokens").asInt(req.path("max_tokens").asInt(0)), model);
        long completionTokens = answer.tokens(model);
        if (req.path("stream").asBoolean(false)) {
            boolean usage = req.path("stream_options").path("include_usage").asBoolean(false);
            new MockStream(vertx, response, answer.chunks(id, created, model), usage
                    ? answer.usageChunk(id, created, model, promptTokens, completionTokens) : null, CHUNK_DELAY_MILLIS).start();
            return;
        }
        ObjectNode out = answer.completion(id, created, model, promptTokens, completionTokens);
        response.putHeader("content-type", "application/json").end(Json.write(out));
    }

    private static String reply(JsonNode last) {
        if (last == null) {
            return "Hello from the Agent Gateway mock provider.";
        }
        String said = text(last.path("content"));
        if ("tool".equals(last.path("role").asText())) {
            return "The tool returned: " + clip(said);
        }
        return "Hello from the Agent Gateway mock provider. You said: \"" + clip(said) + "\"";
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                out.append(part.path("text").asText());
            }
        }
        return out.toString();
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private void embeddings(ObjectNode req, HttpServerResponse response) {
        String model = req.path("model").asText("mock-embedding");
        JsonNode input = req.path("input");
        int dims = req.path("dimensions").asInt(1536);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        long tokens = 0;
        int index = 0;
        for (JsonNode item : input.isArray() ? input : Json.MAPPER.createArrayNode().add(input)) {
            String text = item.isTextual() ? item.asText() : item.toString();
            tokens += TokenCounter.count(text, model);
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", index++);
            ArrayNode vector = e.putArray("embedding");
            for (float f : MockAnswer.vector(text, dims)) {
                vector.add(f);
            }
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        response.putHeader("content-type", "application/json").end(Json.write(out));
    }

    private static void error(HttpServerResponse response, int status, String message) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode e = out.putObject("error");
        e.put("message", message);
        e.put("type", "invalid_request_error");
        e.putNull("param");
        e.putNull("code");
        response.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(out.toString()));
    }
}
