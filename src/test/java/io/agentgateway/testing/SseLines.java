package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded reads of an HTTP answer's lines (an SSE stream, or a JSON body): a message that never
 * comes fails the test within the limit instead of hanging the run. The read happens on a daemon
 * thread that is let go on timeout (it ends when the connection closes).
 */
public final class SseLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExecutorService READER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sse-lines-reader");
        t.setDaemon(true);
        return t;
    });

    private SseLines() {
    }

    /** One message: its JSON, and the stream's last event id (null when none was sent). */
    public record Event(String id, JsonNode data) {
    }

    /** The next message (an SSE event's data, or a line holding a whole JSON body), within {@code limit}. */
    public static Event next(Iterator<String> lines, Duration limit) throws Exception {
        CompletableFuture<Event> read = CompletableFuture.supplyAsync(() -> {
            try {
                return read(lines);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, READER);
        try {
            return read.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new AssertionError("no message within " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    private static Event read(Iterator<String> lines) throws Exception {
        String id = null;
        String data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("{") && data == null) {
                return new Event(null, JSON.readTree(line));
            }
            if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).trim();
            } else if (line.isEmpty() && data != null) {
                return new Event(id, JSON.readTree(data));
            }
        }
        if (data != null) {
            return new Event(id, JSON.readTree(data));
        }
        throw new AssertionError("the stream ended without a message");
    }
}
