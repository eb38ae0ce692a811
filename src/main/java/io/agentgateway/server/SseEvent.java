package io.agentgateway.server;

import io.vertx.core.buffer.Buffer;

/**
 * One server-sent event: its {@code event:} name (null when absent), its {@code data:} lines
 * joined with newlines, and the raw bytes it arrived as (including the blank line that ended
 * it), so a pass-through can forward it byte for byte.
 */
public record SseEvent(String event, String data, Buffer raw) {
    public boolean isDone() {
        return "[DONE]".equals(data);
    }
}
