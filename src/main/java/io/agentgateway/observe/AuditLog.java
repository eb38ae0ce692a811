package io.agentgateway.observe;

import io.agentgateway.config.LoggingConfig;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The audit log: one JSON object per exchange (refusals included), hash-chained per gateway
 * instance, written to every configured output. Completing an exchange only copies a small record
 * into a bounded lock-free queue (nobody is woken per event); one writer thread serialises, hashes and writes, so no request ever waits
 * on an output. Outputs are swapped on reload ({@link #apply}) without breaking the chain.
 *
 * <p>Thread-safe. Lives as long as the process; {@link #close()} drains the queue and closes the outputs.
 */
public final class AuditLog implements ExchangeListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int QUEUE = 65_536;
    private static final int BATCH = 1024;
    /** How long the writer rests when the queue is empty: nobody signals it per event (that cost a thread wake-up per request). */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final AuditEventWriter events;
    /** The batch being written, reused (writer thread only). */
    private final AuditLines lines = new AuditLines();
    private final OutputStream stdout;
    private final Queue<AuditRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicReference<AuditPlan> pending = new AtomicReference<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean enabled;
    private volatile boolean closing;
    private List<AuditSink> sinks = List.of();
    private Duration tick = Duration.ofSeconds(2);
    private String prevHash = AuditEvents.GENESIS;
    private final String gateway;
    private final List<Consumer<List<String>>> taps = new CopyOnWriteArrayList<>();
    private volatile Chain chain;

    /**
     * The state of this instance's hash chain: the gateway name events carry, the hash of the last
     * event written (the next one's {@code prev_hash}; the genesis hash before the first), how many
     * events this process has written and how many it had to drop.
     */
    public record Chain(String gateway, String lastHash, long written, long dropped) {
    }

    public AuditLog(String gateway, OutputStream stdout) {
        this.gateway = gateway;
        this.chain = new Chain(gateway, AuditEvents.GENESIS, 0, 0);
        this.events = new AuditEventWriter(gateway);
        this.stdout = stdout;
        this.writer = new Thread(this::run, "agentgateway-audit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Switches to the outputs of a (new) config; applied by the writer between batches. */
    public void apply(AuditPlan plan) {
        enabled = plan.config().enabled();
        pending.set(plan);
        wake();
    }

    /** Wakes the writer without interrupting it (an interrupt would close a file channel mid-write). */
    private void wake() {
        LockSupport.unpark(writer);
    }

    @Override
    public void onComplete(Exchange exchange) {
        if (!enabled) {
            return;
        }
        if (queued.incrementAndGet() > QUEUE) {
            queued.decrementAndGet();
            if (dropped.incrementAndGet() % 1000 == 1) {
                log.error("audit queue full: {} events could not be recorded so far (an output is too slow)", dropped.get());
            }
            return;
        }
        queue.offer(AuditRecord.of(exchange, exchange.fact(Facts.TRACE_ID)));
    }

    /**
     * Hands every batch of sealed audit lines (exactly as written to the outputs) to {@code tap},
     * on the audit writer thread, after the outputs: a tap must return at once and never throw.
     *
     * @return removes the tap
     */
    public Runnable tap(Consumer<List<String>> tap) {
        taps.add(tap);
        return () -> taps.remove(tap);
    }

    /** The hash chain as of the last event written. */
    public Chain chain() {
        Chain c = chain;
        return new Chain(c.gateway(), c.lastHash(), c.written(), dropped.get());
    }

    /** Events that could not be queued because the outputs fell behind (also a metric). */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        long lastTick = System.nanoTime();
        while (true) {
            swapSinksIfAsked();
            AuditRecord r;
            while (batch.size() < BATCH && (r = queue.poll()) != null) {
                batch.add(r);
            }
            if (!batch.isEmpty()) {
                queued.addAndGet(-batch.size());
                write(batch);
                batch.clear();
                continue;
            }
            if (System.nanoTime() - lastTick >= tick.toNanos()) {
                for (AuditSink s : sinks) {
                    tickQuietly(s);
                }
                lastTick = System.nanoTime();
            }
            if (closing) {
                break;
            }
            LockSupport.parkNanos(this, IDLE_NANOS);
        }
        closeAll(sinks);
    }

    private void write(List<AuditRecord> batch) {
        lines.clear();
        for (AuditRecord r : batch) {
            prevHash = events.write(r, prevHash, lines);
        }
        for (AuditSink s : sinks) {
            try {
                s.write(lines);
            } catch (IOException | RuntimeException e) {
                log.error("audit output {} failed: {}", s, e.toString());
            }
        }
        chain = new Chain(gateway, prevHash, chain.written() + lines.count(), 0);
        if (taps.isEmpty()) {
            return;
        }
        List<String> written = List.copyOf(lines.strings());
        for (Consumer<List<String>> t : taps) {
            try {
                t.accept(written);
            } catch (RuntimeException e) {
                log.warn("audit tap failed: {}", e.toString());
            }
        }
    }

    private void swapSinksIfAsked() {
        AuditPlan plan = pending.getAndSet(null);
        if (plan == null) {
            return;
        }
        List<AuditSink> fresh = new ArrayList<>();
        try {
            for (LoggingConfig.AuditOutputConfig out : plan.config().output()) {
                fresh.add(plan.open(out, stdout));
            }
        } catch (IOException e) {
            log.error("cannot open audit outputs, keeping the previous ones: {}", e.toString());
            closeAll(fresh);
            return;
        }
        closeAll(sinks);
        sinks = fresh;
        tick = plan.config().output().stream().map(LoggingConfig.AuditOutputConfig::flushInterval)
                .min(Duration::compareTo).orElse(Duration.ofSeconds(2));
        if (prevHash.equals(AuditEvents.GENESIS)) {
            prevHash = plan.resumeHash();
            chain = new Chain(gateway, prevHash, chain.written(), 0);
        }
    }

    private static void tickQuietly(AuditSink s) {
        try {
            s.tick();
        } catch (IOException | RuntimeException e) {
            log.warn("audit output {} failed: {}", s, e.toString());
        }
    }

    private static void closeAll(List<AuditSink> sinks) {
        for (AuditSink s : sinks) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                log.warn("closing audit output {} failed: {}", s, e.toString());
            }
        }
    }

    /** Writes what is queued, then closes every output (waiting up to ten seconds). */
    @Override
    public void close() {
        closing = true;
        wake();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
