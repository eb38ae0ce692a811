package io.agentgateway.server;

import com.fasterxml.jackson.core.JsonParser;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.util.Objects;

/**
 * One server-sent event: its {@code event:} name (null when absent), its {@code data:} lines
 * joined with newlines, the last event id seen on the stream (null when none; it carries over to
 * later events, as the SSE standard says), and the raw bytes it arrived as (including the blank
 * line that ended it), so a pass-through can forward it byte for byte.
 *
 * <p>An event cut from a stream ({@link #framed}) is a view of the bytes it arrived in: its raw
 * bytes and its data are read from them only when asked ({@link #raw()} is a slice, not a copy;
 * {@link #data()} is decoded on first use; {@link #dataParser()} reads the JSON where it lies), so
 * relaying an event costs no copy of it. Those bytes must not change while the event is in use.
 * Not thread-safe (the lazily read parts are cached); immutable in what it returns.
 */
public final class SseEvent {
    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    private final String event;
    private final String id;
    private final Buffer bytes;
    private final int start;
    private final int end;
    private final int dataStart;
    private final int dataEnd;
    private String data;
    private Buffer raw;

    private SseEvent(String event, String data, String id, Buffer bytes, int start, int end, int dataStart, int dataEnd) {
        this.event = event;
        this.data = data;
        this.id = id;
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
    }

    /** An event whose data is given as text; {@code raw} is what a pass-through forwards for it. */
    public SseEvent(String event, String data, String id, Buffer raw) {
        this(event, Objects.requireNonNull(data, "data"), id, raw, 0, raw.length(), -1, -1);
        this.raw = raw;
    }

    /** An event with no id. */
    public SseEvent(String event, String data, Buffer raw) {
        this(event, data, null, raw);
    }

    /**
     * An event that lies in {@code bytes} from {@code start} to {@code end} (its blank line
     * included), its one {@code data:} line's value from {@code dataStart} to {@code dataEnd}
     * ({@code dataStart} negative when it has no data line: its data is empty).
     */
    public static SseEvent framed(String event, String id, Buffer bytes, int start, int end, int dataStart, int dataEnd) {
        return dataStart < 0
                ? new SseEvent(event, "", id, bytes, start, end, -1, -1)
                : new SseEvent(event, null, id, bytes, start, end, dataStart, dataEnd);
    }

    /** As {@link #framed}, with data of several lines already joined. */
    public static SseEvent framed(String event, String id, Buffer bytes, int start, int end, String data) {
        return new SseEvent(event, Objects.requireNonNull(data, "data"), id, bytes, start, end, -1, -1);
    }

    public String event() {
        return event;
    }

    /** The data lines joined with newlines; empty when the event has none. */
    public String data() {
        if (data == null) {
            data = bytes.getString(dataStart, dataEnd, "UTF-8");
        }
        return data;
    }

    public String id() {
        return id;
    }

    /** The bytes the event arrived as, its blank line included (a view of them, not a copy). */
    public Buffer raw() {
        if (raw == null) {
            raw = start == 0 && end == bytes.length() ? bytes : bytes.slice(start, end);
        }
        return raw;
    }

    /** The bytes this event lies in; its raw bytes are those from {@link #start()} to {@link #end()}. */
    public Buffer bytes() {
        return bytes;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Whether the event has no data (or only empty data lines' worth of nothing). */
    public boolean dataIsEmpty() {
        return dataStart >= 0 ? dataEnd == dataStart : data.isEmpty();
    }

    public boolean isDone() {
        if (dataStart < 0) {
            return "[DONE]".equals(data);
        }
        if (dataEnd - dataStart != DONE.length) {
            return false;
        }
        for (int i = 0; i < DONE.length; i++) {
            if (bytes.getByte(dataStart + i) != DONE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The event's type: its {@code event:} name, {@code message} when it has none. */
    public String type() {
        return event == null ? "message" : event;
    }

    /**
     * A parser (of {@link Json#factory()}) over the data: read where it lies in the stream's bytes
     * when it is one line of a heap buffer, without decoding it to text first.
     */
    public JsonParser dataParser() throws IOException {
        if (dataStart >= 0 && bytes instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                return Json.factory().createParser(buf.array(), buf.arrayOffset() + buf.readerIndex() + dataStart, dataEnd - dataStart);
            }
        }
        return Json.factory().createParser(data());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseEvent e && Objects.equals(event, e.event) && data().equals(e.data()) && Objects.equals(id, e.id)
                && raw().equals(e.raw());
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, data(), id);
    }

    @Override
    public String toString() {
        return "SseEvent[event=" + event + ", data=" + data() + ", id=" + id + "]";
    }
}
