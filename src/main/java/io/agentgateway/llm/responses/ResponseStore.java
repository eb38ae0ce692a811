package io.agentgateway.llm.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentgateway.server.Json;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conversations behind responses the gateway translated from chat completions, so a later
 * request's {@code previous_response_id} can continue them: per namespace, keyed by response id,
 * each the chat messages up to and including the answer (instructions are not carried over, as
 * OpenAI does not carry them either). A namespace only ever sees its own responses.
 *
 * <p>Bounded: per namespace at most {@value #MAX_ENTRIES} responses and {@value #MAX_BYTES}
 * bytes of conversation, the least recently used dropped first; a dropped or unknown id is a 400
 * for the client. Held in the memory of this gateway process (one store per Vert.x instance,
 * kept across reloads) — with several replicas a conversation continues on the replica that
 * answered it. Thread-safe: each namespace's map is locked for the few operations on it.
 */
public final class ResponseStore {
    static final int MAX_ENTRIES = 1024;
    static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final Map<Vertx, ResponseStore> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long maxBytes;

    ResponseStore(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** The store of {@code vertx}'s gateway. */
    public static ResponseStore of(Vertx vertx) {
        return BY_VERTX.computeIfAbsent(vertx, v -> new ResponseStore(MAX_ENTRIES, MAX_BYTES));
    }

    /** Keeps the conversation that ends in response {@code id}. */
    public void put(String namespace, String id, ArrayNode conversation) {
        Buffer bytes = Json.write(conversation);
        namespaces.computeIfAbsent(key(namespace), k -> new Namespace()).put(id, bytes, maxEntries, maxBytes);
    }

    /** The conversation that ended in response {@code id} of {@code namespace}, or null when it is not (or no longer) kept. */
    public ArrayNode get(String namespace, String id) {
        Namespace ns = namespaces.get(key(namespace));
        Buffer bytes = ns == null ? null : ns.get(id);
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(bytes.getBytes());
            return node instanceof ArrayNode a ? a : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String key(String namespace) {
        return namespace == null ? "" : namespace;
    }

    /** One namespace's responses, least recently used first. */
    private static final class Namespace {
        private final LinkedHashMap<String, Buffer> entries = new LinkedHashMap<>(16, 0.75f, true);
        private long bytes;

        synchronized void put(String id, Buffer conversation, int maxEntries, long maxBytes) {
            Buffer old = entries.put(id, conversation);
            bytes += conversation.length() - (old == null ? 0 : old.length());
            Iterator<Buffer> eldest = entries.values().iterator();
            while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
                bytes -= eldest.next().length();
                eldest.remove();
            }
        }

        synchronized Buffer get(String id) {
            return entries.get(id);
        }
    }
}
