package io.agentgateway.mcp;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent event stream into events as chunks arrive, whatever the chunk boundaries.
 * Lines end in LF, CRLF or CR; an event ends at a blank line; {@code data} lines are joined with
 * LF; comments ({@code :}) and {@code retry} are skipped. Holds only the unfinished line.
 *
 * <p>Not thread-safe: one per stream, fed on one thread at a time.
 */
final class SseParser {
    /** One event: {@code event} defaults to {@code message}; {@code id} may be null. */
    record Event(String event, String data, String id) {
    }

    private final Consumer<Event> sink;
    private final StringBuilder line = new StringBuilder();
    private String event;
    private StringBuilder data;
    private String id;
    private boolean lastWasCr;
    private byte[] partial = new byte[0];

    SseParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        if (partial.length > 0) {
            byte[] joined = new byte[partial.length + bytes.length];
            System.arraycopy(partial, 0, joined, 0, partial.length);
            System.arraycopy(bytes, 0, joined, partial.length, bytes.length);
            bytes = joined;
            partial = new byte[0];
        }
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                lastWasCr = false;
                start = i + 1;
                continue;
            }
            lastWasCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                line(line.toString());
                line.setLength(0);
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            // Keep raw bytes: a UTF-8 sequence may be split across chunks.
            partial = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
        }
    }

    /** The stream ended: an event without its closing blank line is still delivered. */
    void end() {
        if (partial.length > 0) {
            line.append(new String(partial, StandardCharsets.UTF_8));
            partial = new byte[0];
        }
        if (!line.isEmpty()) {
            line(line.toString());
            line.setLength(0);
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
