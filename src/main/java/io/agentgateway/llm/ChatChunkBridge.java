package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.core.Usage;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * A provider's stream translated twice: first into OpenAI chat chunks by the provider's own
 * {@link StreamTranslator} (so every provider the chat path speaks is reachable), then into the
 * client's API by a {@link ChunkTranslator}. Finished, usage and response model are the
 * provider translator's. Not thread-safe: one per stream, on its event loop.
 */
public final class ChatChunkBridge implements StreamTranslator {
    private final StreamTranslator chat;
    private final ChunkTranslator client;
    private final SseDecoder decoder;
    private Buffer out;
    private boolean done;

    public ChatChunkBridge(StreamTranslator chat, ChunkTranslator client) {
        this.chat = chat;
        this.client = client;
        this.decoder = new SseDecoder(this::onChunk);
    }

    @Override
    public void onEvent(SseEvent event, Buffer out) {
        Buffer chunks = Buffer.buffer();
        chat.onEvent(event, chunks);
        feed(chunks, out);
    }

    private void feed(Buffer chunks, Buffer out) {
        if (chunks.length() == 0) {
            return;
        }
        this.out = out;
        decoder.feed(chunks);
        this.out = null;
    }

    private void onChunk(SseEvent event) {
        if (event.isDone()) {
            if (!done) {
                done = true;
                client.done(chat.usage(), chat.responseModel(), out);
            }
            return;
        }
        if (event.data().isEmpty()) {
            return;
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(event.data());
        } catch (IOException e) {
            return; // not a chunk: nothing the client's API has a place for
        }
        if (json instanceof ObjectNode chunk) {
            if (chunk.get("error") != null && chunk.get("choices") == null) {
                client.error(chunk.get("error"), out);
            } else {
                client.chunk(chunk, out);
            }
        }
    }

    @Override
    public void onEnd(Buffer out) {
        Buffer chunks = Buffer.buffer();
        chat.onEnd(chunks);
        feed(chunks, out);
        if (!done) {
            done = true;
            client.done(chat.usage(), chat.responseModel(), out);
        }
    }

    @Override
    public boolean finished() {
        return chat.finished();
    }

    @Override
    public Usage usage() {
        return chat.usage();
    }

    @Override
    public String responseModel() {
        return chat.responseModel();
    }

    @Override
    public void close() {
        chat.close();
    }

    @Override
    public void onError(GatewayError error, Buffer out) {
        client.failed(error, out);
    }
}
