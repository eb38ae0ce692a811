package io.agentgateway.upstream;

import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

/**
 * What one upstream chunk gives the client, gathered for one write: upstream events forwarded as
 * they came, and bytes the gateway made (translated events, an error event). Forwarded events
 * that lie one after another in the upstream's bytes stay a view of those bytes, so a chunk whose
 * events all pass unchanged is written as the very bytes that arrived, with no copy; bytes are
 * copied only where something is spliced in between or an event is left out.
 *
 * <p>Not thread-safe: one per stream, on its event loop.
 */
public final class RelayedBytes {
    /** The forwarded run not yet copied: {@code run} from {@code runStart} to {@code runEnd}. */
    private Buffer run;
    private int runStart;
    private int runEnd;
    /** Everything before the run, once something had to be copied. */
    private Buffer copied;

    /** The event goes to the client byte for byte. */
    public void forward(SseEvent event) {
        if (run != null && event.bytes() == run && event.start() == runEnd) {
            runEnd = event.end();
            return;
        }
        if (run != null || copied != null) {
            buffer().appendBuffer(event.bytes(), event.start(), event.end() - event.start());
            return;
        }
        run = event.bytes();
        runStart = event.start();
        runEnd = event.end();
    }

    /** Where the gateway appends bytes of its own, after everything gathered so far. */
    public Buffer buffer() {
        if (copied == null) {
            copied = run == null ? Buffer.buffer() : Buffer.buffer(runEnd - runStart + 256);
        }
        if (run != null) {
            copied.appendBuffer(run, runStart, runEnd - runStart);
            run = null;
        }
        return copied;
    }

    /** Whether nothing was gathered since the last {@link #take()}. */
    public boolean isEmpty() {
        return run == null && (copied == null || copied.length() == 0);
    }

    /** Everything gathered, in order (empty when nothing was), and starts over. */
    public Buffer take() {
        Buffer bytes;
        if (copied != null) {
            bytes = copied;
        } else if (run == null) {
            bytes = Buffer.buffer(0);
        } else {
            bytes = runStart == 0 && runEnd == run.length() ? run : run.slice(runStart, runEnd);
        }
        run = null;
        copied = null;
        return bytes;
    }
}
