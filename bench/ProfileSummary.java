import jdk.jfr.consumer.*;
import java.nio.file.Path;
import java.util.*;

/**
 * Where the event loops spend CPU and allocate bytes in a JFR recording ({@code jdk.ExecutionSample},
 * {@code jdk.ObjectAllocationSample} weights): by the library whose code runs or allocates, and by
 * the innermost gateway class on the stack (what asked for the work). Prints Markdown tables.
 *
 * <p>{@code java bench/ProfileSummary.java RECORDING.jfr [rows=8]}
 */
public final class ProfileSummary {
    public static void main(String[] a) throws Exception {
        Map<String, Long> allocLib = new TreeMap<>(), allocOwner = new HashMap<>(), cpuLib = new TreeMap<>(), cpuOwner = new HashMap<>();
        long allocTotal = 0, cpuTotal = 0;
        // A thread's first allocation sample weighs every byte it allocated since its last sample,
        // before this recording began (the warm-up, earlier rows): gigabytes on one stack. Dropped.
        Set<Long> sampled = new HashSet<>();
        List<RecordedEvent> events = new ArrayList<>(RecordingFile.readAllEvents(Path.of(a[0])));
        events.sort(Comparator.comparing(RecordedEvent::getStartTime));
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            boolean alloc = type.equals("jdk.ObjectAllocationSample");
            if (!alloc && !type.equals("jdk.ExecutionSample")) continue;
            RecordedThread t = alloc ? e.getThread("eventThread") : e.getThread("sampledThread");
            if (t == null || t.getJavaName() == null || !t.getJavaName().startsWith("vert.x-eventloop")) continue;
            long w = alloc ? e.getLong("weight") : 1;
            if (alloc && sampled.add(t.getJavaThreadId())) continue;
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) continue;
            String lib = lib(st.getFrames().get(0).getMethod().getType().getName());
            String owner = "(Vert.x/Netty, no gateway frame: HTTP decode/encode, connection)";
            for (RecordedFrame f : st.getFrames()) {
                String n = f.getMethod().getType().getName();
                if (n.startsWith("io.agentgateway")) { owner = n.replace("io.agentgateway.", "").replaceAll("\\$.*", ""); break; }
            }
            if (alloc) { allocTotal += w; allocLib.merge(lib, w, Long::sum); allocOwner.merge(owner, w, Long::sum); }
            else { cpuTotal += w; cpuLib.merge(lib, w, Long::sum); cpuOwner.merge(owner, w, Long::sum); }
        }
        print("bytes allocated on the event loops, by the code that allocates", allocLib, allocTotal, 8);
        print("bytes allocated on the event loops, by the gateway class on the stack", allocOwner, allocTotal, a.length > 1 ? Integer.parseInt(a[1]) : 8);
        print("CPU samples on the event loops, by the code running", cpuLib, cpuTotal, 8);
        print("CPU samples on the event loops, by the gateway class on the stack", cpuOwner, cpuTotal, a.length > 1 ? Integer.parseInt(a[1]) : 8);
    }
    static String lib(String n) {
        if (n.startsWith("io.netty")) return "Netty";
        if (n.startsWith("io.vertx")) return "Vert.x";
        if (n.startsWith("com.fasterxml")) return "Jackson";
        if (n.startsWith("io.agentgateway")) return "gateway";
        if (n.startsWith("io.micrometer")) return "Micrometer";
        if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")) return "JDK";
        return n.replaceAll("^([a-z]+\\.[a-z]+).*", "$1");
    }
    static void print(String title, Map<String, Long> m, long total, int n) {
        System.out.println("| " + title + " | share |\n|---|---:|");
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
            .forEach(x -> System.out.printf("| %s | %.0f%% |%n", x.getKey(), 100.0 * x.getValue() / total));
        System.out.println();
    }
}
