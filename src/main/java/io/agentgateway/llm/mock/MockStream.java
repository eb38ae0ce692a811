package io.agentgateway.llm.mock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/** Writes the mock's chunks as SSE on timers (never sleeping on the event loop), then {@code [DONE]}. */
final class MockStream {
    private final Vertx vertx;
    private final HttpServerResponse response;
    private final List<ObjectNode> chunks;
    private final ObjectNode usage;
    private final long delay;
    private int next;

    MockStream(Vertx vertx, HttpServerResponse response, List<ObjectNode> chunks, ObjectNode usage, long delayMillis) {
        this.vertx = vertx;
        this.response = response;
        this.chunks = chunks;
        this.usage = usage;
        this.delay = delayMillis;
    }

    void start() {
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        response.closeHandler(v -> next = Integer.MAX_VALUE);
        step();
    }

    private void step() {
        if (next == Integer.MAX_VALUE || response.closed()) {
            return;
        }
        if (next < chunks.size()) {
            response.write(event(chunks.get(next++)));
            vertx.setTimer(delay, id -> step());
            return;
        }
        if (usage != null) {
            response.write(event(usage));
        }
        response.end("data: [DONE]\n\n");
    }

    private static Buffer event(ObjectNode chunk) {
        return Buffer.buffer("data: ").appendBuffer(Json.write(chunk)).appendString("\n\n");
    }
}
