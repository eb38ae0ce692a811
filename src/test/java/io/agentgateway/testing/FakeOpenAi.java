package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * An upstream that speaks OpenAI's wire format as the API reference shows it (chat completion
 * objects, {@code chat.completion.chunk} SSE events with the {@code include_usage} chunk,
 * tool-call deltas, embeddings, error objects), with scripted misbehaviour for failure tests.
 * Records every request it receives. Runs on its own Vert.x; close it after the test.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the upstream saw it: parsed, and the exact bytes that arrived. */
    public record Received(String method, String path, MultiMap headers, JsonNode body, Buffer raw) {
    }

    /** What to do with a request. */
    public sealed interface Behaviour {
    }

    /** Answer normally (text, or a tool call when the request offers tools), streamed when asked. */
    public record Answer(String text) implements Behaviour {
    }

    /** Answer with this status and raw body. */
    public record Status(int status, String contentType, String body) implements Behaviour {
    }

    /** Answer normally, a {@code : ping} comment line before every streamed chunk (as OpenAI's keep-alives). */
    public record Pinging(String text) implements Behaviour {
    }

    /** Never answer. */
    public record Hang() implements Behaviour {
    }

    /** Stream {@code chunks} content chunks, then close the connection without finishing. */
    public record CloseMidStream(int chunks) implements Behaviour {
    }

    /** Stream {@code chunks} content chunks, then go silent with the connection open. */
    public record StallMidStream(int chunks) implements Behaviour {
    }

    /** Stream slowly: {@code delayMillis} between chunks. */
    public record SlowStream(String text, long delayMillis) implements Behaviour {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Function<Received, Behaviour>> script =
            new AtomicReference<>(r -> new Answer("Hello! How can I assist you today?"));
    private final List<HttpServerResponse> open = new CopyOnWriteArrayList<>();
    private volatile List<String> models = List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");

    /** What {@code GET /v1/models} lists from now on. */
    public FakeOpenAi models(List<String> ids) {
        this.models = List.copyOf(ids);
        return this;
    }

    private final LoopbackServer server;

    private FakeOpenAi() {
        this.server = LoopbackServer.start(this::handle);
    }

    public static FakeOpenAi start() {
        return new FakeOpenAi();
    }

    public String baseUrl() {
        return server.url() + "/v1";
    }

    public int port() {
        return server.port();
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.get(received.size() - 1);
    }

    /** Decides the behaviour for every following request. */
    public FakeOpenAi script(Function<Received, Behaviour> f) {
        script.set(f);
        return this;
    }

    public FakeOpenAi always(Behaviour b) {
        return script(r -> b);
    }

    /** Responses this upstream is still writing (streams held open); closed when the client went away. */
    public List<HttpServerResponse> openResponses() {
        return open.stream().filter(r -> !r.closed() && !r.ended()).toList();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonNode json;
            try {
                json = body.length() == 0 ? null : JSON.readTree(body.getBytes());
            } catch (Exception e) {
                json = null;
            }
            Received r = new Received(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json, body);
            received.add(r);
            HttpServerResponse response = request.response();
            open.add(response);
            Behaviour b = script.get().apply(r);
            switch (b) {
                case Status s -> response.setStatusCode(s.status()).putHeader("content-type", s.contentType()).end(s.body());
                case Hang h -> {
                    // never answer
                }
                case Answer a -> answer(r, a.text(), response, 0, -1);
                case Pinging a -> answer(r, a.text(), response, 0, -1, true);
                case SlowStream s -> answer(r, s.text(), response, s.delayMillis(), -1);
                case CloseMidStream c -> answer(r, "one two three four five six seven eight nine ten", response, 0, c.chunks());
                case StallMidStream c -> answer(r, "one two three four five six seven eight nine ten", response, 0, -2 - c.chunks());
            }
        });
    }

    private void answer(Received r, String text, HttpServerResponse response, long delay, int closeAfter) {
        if (r.method().equals("GET") && r.path().endsWith("/models")) {
            ArrayNode data = JSON.createArrayNode();
            models.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", 1715367049).put("owned_by", "system"));
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            list.set("data", data);
            response.putHeader("content-type", "application/json").end(list.toString());
            return;
        }
        answer(r, text, response, delay, closeAfter, false);
    }

    /** OpenAI's other endpoints, answered as its API reference shows them; false for chat, embeddings and responses. */
    private boolean surface(Received r, HttpServerResponse response) {
        String p = r.path().replaceFirst("^/v1", "");
        ObjectNode out = JSON.createObjectNode();
        String model = r.body() == null ? null : r.body().path("model").asText(null);
        if (p.equals("/completions")) {
            String text = "This is a test.";
            if (r.body().path("stream").asBoolean(false)) {
                response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
                for (String piece : List.of("This", " is", " a", " test.")) {
                    ObjectNode c = JSON.createObjectNode().put("id", "cmpl-1").put("object", "text_completion").put("created", 1).put("model", model);
                    c.putArray("choices").addObject().put("text", piece).put("index", 0).putNull("finish_reason");
                    response.write("data: " + c + "\n\n");
                }
                ObjectNode last = JSON.createObjectNode().put("id", "cmpl-1").put("object", "text_completion").put("created", 1).put("model", model);
                last.putArray("choices").addObject().put("text", "").put("index", 0).put("finish_reason", "stop");
                response.write("data: " + last + "\n\n");
                if (r.body().path("stream_options").path("include_usage").asBoolean(false)) {
                    ObjectNode u = JSON.createObjectNode().put("id", "cmpl-1").put("object", "text_completion").put("created", 1).put("model", model);
                    u.putArray("choices");
                    u.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 4).put("total_tokens", 9);
                    response.write("data: " + u + "\n\n");
                }
                response.end("data: [DONE]\n\n");
                return true;
            }
            out.put("id", "cmpl-1").put("object", "text_completion").put("created", 1).put("model", model);
            out.putArray("choices").addObject().put("text", text).put("index", 0).putNull("logprobs").put("finish_reason", "stop");
            out.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 4).put("total_tokens", 9);
        } else if (p.equals("/moderations")) {
            out.put("id", "modr-1").put("model", model == null ? "omni-moderation-latest" : model);
            ObjectNode result = out.putArray("results").addObject().put("flagged", false);
            result.putObject("categories").put("violence", false);
            result.putObject("category_scores").put("violence", 0.0001);
        } else if (p.equals("/images/generations")) {
            out.put("created", 1);
            out.putArray("data").addObject().put("url", "https://images.example/1.png").put("revised_prompt", "a cat");
        } else if (p.equals("/audio/speech")) {
            response.putHeader("content-type", "audio/mpeg").end(Buffer.buffer(new byte[] {'I', 'D', '3', 3, 0, 0, (byte) 0xff, (byte) 0xfb}));
            return true;
        } else if (p.equals("/audio/transcriptions")) {
            String form = r.raw().toString(java.nio.charset.StandardCharsets.ISO_8859_1);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"model\"[^\r]*\r\n(?:[^\r\n]+\r\n)*\r\n([^\r]*)\r\n").matcher(form);
            out.put("text", "transcribed by " + (m.find() ? m.group(1) : "?"));
        } else if (p.equals("/files") && r.method().equals("POST")) {
            out.put("id", "file-abc123").put("object", "file").put("bytes", r.raw().length()).put("created_at", 1)
                    .put("filename", "batch.jsonl").put("purpose", "batch");
        } else if (p.equals("/files") && r.method().equals("GET")) {
            out.put("object", "list").putArray("data").addObject().put("id", "file-abc123").put("object", "file").put("bytes", 42)
                    .put("created_at", 1).put("filename", "batch.jsonl").put("purpose", "batch");
        } else if (p.matches("/files/[^/]+/content")) {
            response.putHeader("content-type", "application/octet-stream").end("{\"custom_id\":\"1\"}\n");
            return true;
        } else if (p.equals("/batches") && r.method().equals("POST")) {
            out.put("id", "batch_abc123").put("object", "batch").put("endpoint", r.body().path("endpoint").asText())
                    .put("input_file_id", r.body().path("input_file_id").asText()).put("completion_window", "24h")
                    .put("status", "validating").put("created_at", 1);
        } else {
            return false;
        }
        response.putHeader("content-type", "application/json").end(out.toString());
        return true;
    }

    private void answer(Received r, String text, HttpServerResponse response, long delay, int closeAfter, boolean ping) {
        if (surface(r, response)) {
            return;
        }
        if (r.path().endsWith("/responses")) {
            ResponsesWire.answer(r.body(), text, response);
            return;
        }
        if (r.path().endsWith("/embeddings")) {
            response.putHeader("content-type", "application/json").end(embeddings(r.body()).toString());
            return;
        }
        boolean tools = r.body().path("tools").isArray() && !r.body().path("tools").isEmpty()
                && !"tool".equals(last(r.body()).path("role").asText());
        String model = r.body().path("model").asText();
        if (!r.body().path("stream").asBoolean(false)) {
            response.putHeader("content-type", "application/json").end(completion(model, text, tools, r.body()).toString());
            return;
        }
        boolean usage = r.body().path("stream_options").path("include_usage").asBoolean(false);
        List<ObjectNode> chunks = OpenAiWire.chunks(model, text, tools ? firstTool(r.body()) : null, usage);
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
        write(response, chunks, 0, delay, closeAfter, ping);
    }

    private void write(HttpServerResponse response, List<ObjectNode> chunks, int i, long delay, int closeAfter, boolean ping) {
        if (response.closed()) {
            return;
        }
        if (closeAfter >= 0 && i == closeAfter + 1) {
            response.reset();
            return;
        }
        if (closeAfter <= -2 && i == -closeAfter - 2 + 1) {
            return; // stall: the stream stays open and silent
        }
        if (i == chunks.size()) {
            response.end("data: [DONE]\n\n");
            return;
        }
        response.write((ping ? ": ping\n\n" : "") + "data: " + chunks.get(i) + "\n\n");
        if (delay > 0) {
            server.vertx().setTimer(delay, t -> write(response, chunks, i + 1, delay, closeAfter, ping));
        } else {
            write(response, chunks, i + 1, delay, closeAfter, ping);
        }
    }

    private static JsonNode last(JsonNode body) {
        JsonNode messages = body.path("messages");
        return messages.isArray() && !messages.isEmpty() ? messages.get(messages.size() - 1) : JSON.createObjectNode();
    }

    private static String firstTool(JsonNode body) {
        return body.path("tools").get(0).path("function").path("name").asText();
    }

    private static ObjectNode completion(String model, String text, boolean tools, JsonNode request) {
        return OpenAiWire.completion(model, text, tools ? firstTool(request) : null);
    }

    private static ObjectNode embeddings(JsonNode request) {
        ObjectNode out = JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        JsonNode input = request.path("input");
        int n = input.isArray() ? input.size() : 1;
        for (int i = 0; i < n; i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            e.putArray("embedding").add(0.0023064255).add(-0.009327292).add(-0.0028842222);
        }
        out.put("model", request.path("model").asText());
        out.putObject("usage").put("prompt_tokens", 8 * n).put("total_tokens", 8 * n);
        return out;
    }

    @Override
    public void close() {
        server.close();
    }

    static Buffer buffer(String s) {
        return Buffer.buffer(s);
    }
}
