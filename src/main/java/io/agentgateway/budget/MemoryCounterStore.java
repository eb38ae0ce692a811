package io.agentgateway.budget;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters in this process ({@code rate_limit_store.type: memory}): right for one replica. One
 * lock guards every counter, which is what makes a reservation across several rules all or
 * nothing; the critical section is a few map lookups. Counters of ended windows are swept at most
 * once a minute of clock time. Thread-safe; every future it returns is already complete.
 */
final class MemoryCounterStore implements CounterStore {
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    private final Clock clock;
    private final Map<String, Slot> counters = new HashMap<>();
    private long nextSweep;
    private boolean closed;

    private static final class Slot {
        final long windowEnd;
        long value;

        Slot(long windowEnd) {
            this.windowEnd = windowEnd;
        }
    }

    MemoryCounterStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Future<Counts> reserve(List<BudgetCounter> wanted, long[] amounts) {
        if (closed) {
            return Future.failedFuture(new BudgetUnavailableException("the budget store is closed"));
        }
        long now = clock.millis();
        sweep(now);
        int n = wanted.size();
        Slot[] slots = new Slot[n];
        long[] values = new long[n];
        boolean fits = true;
        for (int i = 0; i < n; i++) {
            BudgetCounter c = wanted.get(i);
            slots[i] = counters.get(c.id());
            values[i] = slots[i] == null ? 0 : slots[i].value;
            if (values[i] >= c.limit() || values[i] + amounts[i] > c.limit()) {
                fits = false;
            }
        }
        if (!fits) {
            return Future.succeededFuture(new Counts(false, values));
        }
        for (int i = 0; i < n; i++) {
            Slot s = slots[i];
            if (s == null) {
                s = new Slot(wanted.get(i).windowEndMillis());
                counters.put(wanted.get(i).id(), s);
            }
            s.value += amounts[i];
            values[i] = s.value;
        }
        return Future.succeededFuture(new Counts(true, values));
    }

    @Override
    public synchronized Future<long[]> adjust(List<BudgetCounter> wanted, long[] deltas) {
        long now = clock.millis();
        long[] values = new long[wanted.size()];
        for (int i = 0; i < values.length; i++) {
            BudgetCounter c = wanted.get(i);
            if (c.windowEndMillis() <= now) {
                values[i] = -1;
                continue;
            }
            Slot s = counters.computeIfAbsent(c.id(), k -> new Slot(c.windowEndMillis()));
            s.value = Math.max(0, s.value + deltas[i]);
            values[i] = s.value;
        }
        return Future.succeededFuture(values);
    }

    @Override
    public synchronized Future<long[]> peek(List<BudgetCounter> wanted) {
        long now = clock.millis();
        long[] values = new long[wanted.size()];
        for (int i = 0; i < values.length; i++) {
            BudgetCounter c = wanted.get(i);
            Slot s = counters.get(c.id());
            values[i] = c.windowEndMillis() <= now ? -1 : s == null ? 0 : s.value;
        }
        return Future.succeededFuture(values);
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_MILLIS;
        counters.values().removeIf(s -> s.windowEnd <= now);
    }

    @Override
    public synchronized Future<Void> close() {
        closed = true;
        counters.clear();
        return Future.succeededFuture();
    }
}
