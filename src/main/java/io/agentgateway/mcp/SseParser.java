package io.agentgateway.mcp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent event stream into events as chunks arrive, whatever the chunk boundaries.
 * Lines end in LF, CRLF or CR; an event ends at a blank line; {@code data} lines are joined with
 * LF; comments ({@code :}) and {@code retry} are skipped. Each byte is scanned once: a long line
 * (a multi-megabyte tool result) costs linear time, and only the unfinished line is held.
 *
 * <p>Not thread-safe: one per stream, fed on one thread at a time.
 */
final class SseParser {
    /** One event: {@code event} defaults to {@code message}; {@code id} may be null. */
    record Event(String event, String data, String id) {
    }

    private final Consumer<Event> sink;
    private Buffer partial = Buffer.buffer(256);
    private String event;
    private StringBuilder data;
    private String id;
    private boolean lastWasCr;

    SseParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    void feed(Buffer chunk) {
        int start = 0;
        int len = chunk.length();
        for (int i = 0; i < len; i++) {
            byte b = chunk.getByte(i);
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                start = i + 1;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                String line;
                if (partial.length() == 0) {
                    line = chunk.getString(start, i, "UTF-8");
                } else {
                    partial.appendBuffer(chunk, start, i - start);
                    line = partial.toString(StandardCharsets.UTF_8);
                    partial = Buffer.buffer(256);
                }
                line(line);
                start = i + 1;
            }
        }
        if (start < len) {
            // Raw bytes, not text: a UTF-8 sequence may be split across chunks.
            partial.appendBuffer(chunk, start, len - start);
        }
    }

    /** The stream ended: an event without its closing blank line is still delivered. */
    void end() {
        if (partial.length() > 0) {
            line(partial.toString(StandardCharsets.UTF_8));
            partial = Buffer.buffer(0);
        }
        dispatch();
    }

    private void line(String l) {
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "id" -> id = value;
            default -> {
            }
        }
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new Event(event == null ? "message" : event, data.toString(), id));
        }
        event = null;
        data = null;
    }
}
