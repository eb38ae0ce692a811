import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes the JVM allocated per second while a JFR recording ran, from its
 * {@code jdk.ThreadAllocationStatistics} samples (each carries a thread's cumulative allocation):
 * per thread the last sample minus the first, summed over all threads, divided by the time between
 * the first and last sample. Every thread counts (event loops, the audit writer, GC-free JIT work),
 * so the figure divided by the request rate is what a request really costs.
 *
 * <p>{@code java bench/AllocRate.java RECORDING.jfr} prints one integer: bytes per second.
 */
public final class AllocRate {
    public static void main(String[] args) throws Exception {
        Map<Long, long[]> byThread = new HashMap<>();
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ThreadAllocationStatistics")) {
                continue;
            }
            long at = e.getStartTime().toEpochMilli();
            first = Math.min(first, at);
            last = Math.max(last, at);
            long allocated = e.getLong("allocated");
            long[] span = byThread.computeIfAbsent(e.getThread("thread").getJavaThreadId(),
                    k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            span[0] = Math.min(span[0], allocated);
            span[1] = Math.max(span[1], allocated);
        }
        if (last <= first) {
            System.err.println(args[0] + ": fewer than two allocation samples");
            System.exit(1);
        }
        long total = 0;
        for (long[] span : byThread.values()) {
            total += span[1] - span[0];
        }
        System.out.println(total * 1000 / (last - first));
    }
}
