package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonParser;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;

/**
 * A streaming parser (the gateway's factory and read limits, {@link Json#factory()}) over a body's
 * own bytes: a heap buffer is read where it lies instead of being copied out first, which is what
 * {@link Buffer#getBytes()} would do for every request and every answer. Stateless.
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    /** A parser over {@code body}; the caller closes it. */
    public static JsonParser parser(Buffer body) throws IOException {
        if (body instanceof BufferInternal internal) {
            var bytes = internal.getByteBuf();
            if (bytes.hasArray()) {
                return Json.factory().createParser(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            }
        }
        byte[] copy = body.getBytes();
        return Json.factory().createParser(copy, 0, copy.length);
    }
}
