package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    /** One request as the upstream saw it. */
    public record Received(String method, String path, MultiMap headers, JsonNode body) {
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

    private final Vertx vertx;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Function<Received, Behaviour>> script =
            new AtomicReference<>(r -> new Answer("Hello! How can I assist you today?"));
    private final List<HttpServerResponse> open = new CopyOnWriteArrayList<>();

    private FakeOpenAi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static FakeOpenAi start() {
        try {
            Vertx vertx = Vertx.vertx();
            FakeOpenAi[] self = new FakeOpenAi[1];
            HttpServer server = vertx.createHttpServer().requestHandler(r -> self[0].handle(r));
            self[0] = new FakeOpenAi(vertx, server);
            server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            return self[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    public int port() {
        return server.actualPort();
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
            Received r = new Received(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), json);
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
                case SlowStream s -> answer(r, s.text(), response, s.delayMillis(), -1);
                case CloseMidStream c -> answer(r, "one two three four five six seven eight nine ten", response, 0, c.chunks());
                case StallMidStream c -> answer(r, "one two three four five six seven eight nine ten", response, 0, -2 - c.chunks());
            }
        });
    }

    private void answer(Received r, String text, HttpServerResponse response, long delay, int closeAfter) {
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
        write(response, chunks, 0, delay, closeAfter);
    }

    private void write(HttpServerResponse response, List<ObjectNode> chunks, int i, long delay, int closeAfter) {
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
        response.write("data: " + chunks.get(i) + "\n\n");
        if (delay > 0) {
            vertx.setTimer(delay, t -> write(response, chunks, i + 1, delay, closeAfter));
        } else {
            write(response, chunks, i + 1, delay, closeAfter);
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
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }

    static Buffer buffer(String s) {
        return Buffer.buffer(s);
    }
}
