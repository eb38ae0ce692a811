package io.agentgateway.server;

import io.vertx.core.buffer.Buffer;

/**
 * One server-sent event: its {@code event:} name (null when absent), its {@code data:} lines
 * joined with newlines, the last event id seen on the stream (null when none; it carries over to
 * later events, as the SSE standard says), and the raw bytes it arrived as (including the blank
 * line that ended it), so a pass-through can forward it byte for byte.
 */
public record SseEvent(String event, String data, String id, Buffer raw) {
    /** An event with no id. */
    public SseEvent(String event, String data, Buffer raw) {
        this(event, data, null, raw);
    }

    public boolean isDone() {
        return "[DONE]".equals(data);
    }

    /** The event's type: its {@code event:} name, {@code message} when it has none. */
    public String type() {
        return event == null ? "message" : event;
    }
}
