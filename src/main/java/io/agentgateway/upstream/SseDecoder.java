package io.agentgateway.upstream;

import io.agentgateway.server.SseEvent;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

/**
 * Splits a byte stream into server-sent events as chunks arrive, whatever the chunk boundaries
 * (an event may span chunks; a chunk may hold many events). Lines end in LF, CRLF or CR; an
 * event ends at a blank line. Holds only the bytes of the event in progress; each byte is scanned
 * once, so a multi-megabyte event (a large tool result) costs linear time. The one decoder for
 * every upstream stream: LLM chunks, MCP messages, A2A task events.
 *
 * <p>Not thread-safe: one per stream, fed on its event loop.
 */
public final class SseDecoder implements EventDecoder {
    private final Consumer<SseEvent> sink;
    private Consumer<Buffer> comments;
    private boolean comment;
    private Buffer pending = Buffer.buffer(0);
    private int scanFrom;
    private int lineStart;
    private String event;
    private StringBuilder data;
    private String id;
    private boolean lastWasCr;

    public SseDecoder(Consumer<SseEvent> sink) {
        this(sink, null);
    }

    /**
     * @param comments told the raw bytes (blank line included) of every block that holds only
     *                 comment lines ({@code : ping}): keep-alives a relay passes on so that idle
     *                 timeouts between the gateway and its client see traffic; null to drop them
     */
    public SseDecoder(Consumer<SseEvent> sink, Consumer<Buffer> comments) {
        this.sink = sink;
        this.comments = comments;
    }

    /** Tells comment-only blocks to {@code sink} from now on (see the two-argument constructor); returns this decoder. */
    public SseDecoder withComments(Consumer<Buffer> sink) {
        this.comments = sink;
        return this;
    }

    @Override
    public void feed(Buffer chunk) {
        if (pending.length() == 0) {
            pending = chunk.copy();
        } else {
            pending.appendBuffer(chunk);
        }
        int len = pending.length();
        int eventStart = 0;
        for (int i = scanFrom; i < len; i++) {
            byte b = pending.getByte(i);
            if (b == '\n' && lastWasCr) {
                // second half of CRLF: the line already ended at the CR
                lastWasCr = false;
                lineStart = i + 1;
                continue;
            }
            lastWasCr = b == '\r';
            if (b != '\n' && b != '\r') {
                continue;
            }
            int lineEnd = i;
            int next = i + 1;
            if (b == '\r' && next < len && pending.getByte(next) == '\n') {
                next++;
                lastWasCr = false;
                i++;
            }
            if (lineEnd == lineStart) {
                if (data != null || event != null) {
                    sink.accept(new SseEvent(event, data == null ? "" : data.toString(), id, pending.getBuffer(eventStart, next)));
                } else if (comment && comments != null) {
                    comments.accept(pending.getBuffer(eventStart, next));
                }
                comment = false;
                event = null;
                data = null;
                eventStart = next;
            } else {
                line(pending.getString(lineStart, lineEnd, "UTF-8"));
            }
            lineStart = next;
        }
        // Keep only the unfinished event; its parsed lines stay in event/data.
        if (eventStart > 0) {
            pending = eventStart == len ? Buffer.buffer(0) : pending.getBuffer(eventStart, len);
            lineStart -= eventStart;
        }
        scanFrom = pending.length();
    }

    /** Ends the stream: an event left without its blank line is delivered as well. */
    @Override
    public void end() {
        if (lineStart < pending.length()) {
            line(pending.getString(lineStart, pending.length(), "UTF-8"));
        }
        if (data != null || event != null) {
            sink.accept(new SseEvent(event, data == null ? "" : data.toString(), id, pending.copy().appendString("\n\n")));
        }
        pending = Buffer.buffer(0);
        comment = false;
        data = null;
        event = null;
        lineStart = 0;
        scanFrom = 0;
    }

    private void line(String line) {
        if (line.startsWith(":")) {
            comment = true;
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
            case "event" -> event = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            default -> {
                // retry means nothing to the gateway; it stays in the raw bytes
            }
        }
    }
}
