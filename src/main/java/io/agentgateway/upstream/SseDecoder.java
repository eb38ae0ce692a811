package io.agentgateway.upstream;

import io.agentgateway.server.SseEvent;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.function.Consumer;

/**
 * Splits a byte stream into server-sent events as chunks arrive, whatever the chunk boundaries
 * (an event may span chunks; a chunk may hold many events). Lines end in LF, CRLF or CR; an
 * event ends at a blank line. Holds only the bytes of the event in progress; each byte is scanned
 * once, so a multi-megabyte event (a large tool result) costs linear time. The one decoder for
 * every upstream stream: LLM chunks, MCP messages, A2A task events.
 *
 * <p>Copies nothing an event does not need: an event that arrives whole in one chunk is told as a
 * view of that chunk ({@link SseEvent#framed}), its data decoded only if someone asks; only the
 * unfinished tail of a chunk is copied, to be joined with the next. The chunks fed must not change
 * afterwards (Vert.x hands each one over fresh).
 *
 * <p>Not thread-safe: one per stream, fed on its event loop.
 */
public final class SseDecoder implements EventDecoder {
    private static final Buffer EMPTY = Buffer.buffer(0);

    private final Consumer<SseEvent> sink;
    private Consumer<Buffer> comments;
    private boolean comment;
    /** The unfinished event's bytes (a copy), empty when the last chunk ended on an event's end. */
    private Buffer pending = EMPTY;
    private int scanFrom;
    private int lineStart;
    private String event;
    /** The first data line's value in {@code pending}, while it is the only one; -1 when none. */
    private int dataStart = -1;
    private int dataEnd;
    /** The data lines joined, once there are two or more. */
    private StringBuilder joined;
    private String id;
    private boolean lastWasCr;
    private String lastName;
    // the bytes being scanned: a heap array when the buffer has one
    private byte[] array;
    private int base;
    private Buffer scanned;

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
        Buffer buf;
        if (pending.length() == 0) {
            // scanned where it lies: the events it completes are views of it
            buf = chunk;
        } else {
            pending.appendBuffer(chunk);
            buf = pending;
        }
        bind(buf);
        int len = buf.length();
        int eventStart = 0;
        for (int i = scanFrom; i < len; i++) {
            byte b = at(i);
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
            if (b == '\r' && next < len && at(next) == '\n') {
                next++;
                lastWasCr = false;
                i++;
            }
            if (lineEnd == lineStart) {
                if (dataStart >= 0 || joined != null || event != null) {
                    sink.accept(joined != null
                            ? SseEvent.framed(event, id, buf, eventStart, next, joined.toString())
                            : SseEvent.framed(event, id, buf, eventStart, next, dataStart, dataEnd));
                } else if (comment && comments != null) {
                    comments.accept(buf.slice(eventStart, next));
                }
                reset();
                eventStart = next;
            } else {
                line(lineStart, lineEnd);
            }
            lineStart = next;
        }
        // Keep only the unfinished event, copied (a chunk is never written to); its parsed lines stay in event/data.
        if (buf != pending || eventStart > 0) {
            pending = eventStart == len ? EMPTY : Buffer.buffer(len - eventStart + 256).appendBuffer(buf, eventStart, len - eventStart);
            lineStart -= eventStart;
            if (dataStart >= 0) {
                dataStart -= eventStart;
                dataEnd -= eventStart;
            }
        }
        scanFrom = pending.length();
        unbind();
    }

    /** Ends the stream: an event left without its blank line is delivered as well. */
    @Override
    public void end() {
        Buffer buf = pending.length() == 0 ? EMPTY : pending.copy().appendString("\n\n");
        bind(buf);
        if (lineStart < pending.length()) {
            line(lineStart, pending.length());
        }
        if (dataStart >= 0 || joined != null || event != null) {
            sink.accept(joined != null
                    ? SseEvent.framed(event, id, buf, 0, buf.length(), joined.toString())
                    : SseEvent.framed(event, id, buf, 0, buf.length(), dataStart, dataEnd));
        }
        unbind();
        pending = EMPTY;
        reset();
        lineStart = 0;
        scanFrom = 0;
    }

    private void reset() {
        comment = false;
        event = null;
        dataStart = -1;
        joined = null;
    }

    private void bind(Buffer buf) {
        scanned = buf;
        array = null;
        if (buf instanceof BufferInternal internal) {
            ByteBuf bytes = internal.getByteBuf();
            if (bytes.hasArray()) {
                array = bytes.array();
                base = bytes.arrayOffset() + bytes.readerIndex();
            }
        }
    }

    private void unbind() {
        scanned = null;
        array = null;
    }

    private byte at(int i) {
        return array != null ? array[base + i] : scanned.getByte(i);
    }

    /** One line, from {@code from} to {@code to} (its end of line excluded), of the buffer being scanned. */
    private void line(int from, int to) {
        if (at(from) == ':') {
            comment = true;
            return;
        }
        int colon = from;
        while (colon < to && at(colon) != ':') {
            colon++;
        }
        int value = colon < to ? colon + 1 : to;
        if (value < to && at(value) == ' ') {
            value++;
        }
        int field = colon - from;
        if (field == 4 && at(from) == 'd' && at(from + 1) == 'a' && at(from + 2) == 't' && at(from + 3) == 'a') {
            data(value, to);
        } else if (field == 5 && at(from) == 'e' && at(from + 1) == 'v' && at(from + 2) == 'e' && at(from + 3) == 'n'
                && at(from + 4) == 't') {
            event = name(value, to);
        } else if (field == 2 && at(from) == 'i' && at(from + 1) == 'd') {
            String v = scanned.getString(value, to, "UTF-8");
            if (v.indexOf('\0') < 0) {
                id = v;
            }
        }
        // retry, and fields SSE does not define, mean nothing to the gateway; they stay in the raw bytes
    }

    private void data(int from, int to) {
        if (joined != null) {
            joined.append('\n').append(scanned.getString(from, to, "UTF-8"));
        } else if (dataStart >= 0) {
            // a second data line: the data is no longer one range of the bytes
            joined = new StringBuilder(dataEnd - dataStart + 1 + to - from)
                    .append(scanned.getString(dataStart, dataEnd, "UTF-8")).append('\n').append(scanned.getString(from, to, "UTF-8"));
        } else {
            dataStart = from;
            dataEnd = to;
        }
    }

    /** The event's name; the last one's string again when the bytes are the same (streams repeat a few names). */
    private String name(int from, int to) {
        String last = lastName;
        if (last != null && last.length() == to - from) {
            int i = 0;
            while (i < last.length() && at(from + i) == last.charAt(i)) {
                i++;
            }
            if (i == last.length()) {
                return last;
            }
        }
        lastName = scanned.getString(from, to, "UTF-8");
        return lastName;
    }
}
