package io.agentgateway.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Reservations sent at a steady pace by one thread per store, as requests would arrive at each
 * gateway replica, counting what was granted; runs until {@link #close}.
 */
final class StoreTraffic implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    /**
     * @param counters which counters request number {@code n} of a thread reserves (one each)
     */
    StoreTraffic(List<? extends CounterStore> stores, long pauseMillis, IntFunction<List<BudgetCounter>> counters) {
        for (int s = 0; s < stores.size(); s++) {
            CounterStore store = stores.get(s);
            Thread t = new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    List<BudgetCounter> wanted = counters.apply(n);
                    long[] ones = new long[wanted.size()];
                    java.util.Arrays.fill(ones, 1);
                    try {
                        CounterStore.Counts c = store.reserve(wanted, ones).toCompletionStage().toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                        (c.granted() ? granted : refused).incrementAndGet();
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        synchronized (errors) {
                            errors.add(e);
                        }
                        return;
                    }
                }
            }, "store-traffic-" + s);
            threads.add(t);
            t.start();
        }
    }

    long granted() {
        return granted.get();
    }

    long refused() {
        return refused.get();
    }

    /** Stops the threads, waits for their last reservation, and fails if any reservation failed. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (errors) {
            if (!errors.isEmpty()) {
                throw new AssertionError("a reservation failed", errors.get(0));
            }
        }
    }
}
