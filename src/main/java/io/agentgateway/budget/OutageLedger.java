package io.agentgateway.budget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Redis-backed store knows while Redis is away: the counter values Redis last reported,
 * and the debits made here since (reservations under {@code fail_open}, reconciliations in either
 * mode) that Redis has not seen yet. Local reservations check against last-known value plus local
 * debits, so a replica keeps enforcing what it knew, and at most its share of the headroom
 * when other replicas may be counting too. Debits are handed out for replay in batches
 * and stay counted until Redis has confirmed them.
 *
 * <p>Thread-safe: one lock, held for a few map operations.
 */
final class OutageLedger {
    private static final long SWEEP_EVERY_MILLIS = 60_000;

    /** One counter's unconfirmed debit. */
    record Debit(BudgetCounter counter, long delta) {
    }

    private final Map<String, Long> known = new HashMap<>();
    private final Map<String, Long> knownUntil = new HashMap<>();
    private final Map<String, Debit> pending = new HashMap<>();
    private final Map<String, Debit> replaying = new HashMap<>();
    private volatile boolean down;
    private long nextSweep;

    boolean down() {
        return down;
    }

    /** Redis answered: remember what it said (values of -1 mean it was not asked). */
    synchronized void observe(List<BudgetCounter> counters, long[] values, long now) {
        sweep(now);
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= 0) {
                known.put(counters.get(i).id(), values[i]);
                knownUntil.put(counters.get(i).id(), counters.get(i).windowEndMillis());
            }
        }
    }

    /** Redis failed: from now on everything is counted here until {@link #up}. */
    synchronized void markDown() {
        down = true;
    }

    /**
     * The all-or-nothing reservation of {@link CounterStore#reserve}, against what this replica
     * knows, holding this replica to its share of what was left: with {@code replicas} gateway
     * replicas alive when Redis was last seen, each may add at most {@code (limit - last known
     * value) / replicas} while Redis is away, so together they cannot pass the limit. Refused
     * reservations report the value that leaves exactly this replica's remaining share.
     */
    synchronized CounterStore.Counts reserve(List<BudgetCounter> counters, long[] amounts, int replicas) {
        down = true;
        long[] values = new long[counters.size()];
        boolean fits = true;
        for (int i = 0; i < values.length; i++) {
            BudgetCounter c = counters.get(i);
            values[i] = effective(c, replicas);
            if (values[i] >= c.limit() || values[i] + amounts[i] > c.limit()) {
                fits = false;
            }
        }
        if (fits) {
            for (int i = 0; i < values.length; i++) {
                debit(counters.get(i), amounts[i]);
                values[i] += amounts[i];
            }
        }
        return new CounterStore.Counts(fits, values);
    }

    /** The counter as this replica must see it: what it knows, or more when its share is what runs out first. */
    private long effective(BudgetCounter c, int replicas) {
        long value = value(c.id());
        if (replicas <= 1) {
            return value;
        }
        long seen = known.getOrDefault(c.id(), 0L);
        long share = Math.max(0, c.limit() - seen) / replicas;
        long local = value - seen;
        return Math.max(value, c.limit() - (share - local));
    }

    /** Records debits Redis could not take; they are replayed when it is back. */
    synchronized long[] adjust(List<BudgetCounter> counters, long[] deltas, long now) {
        down = true;
        long[] values = new long[counters.size()];
        for (int i = 0; i < values.length; i++) {
            BudgetCounter c = counters.get(i);
            if (c.windowEndMillis() <= now) {
                values[i] = -1;
                continue;
            }
            debit(c, deltas[i]);
            values[i] = Math.max(0, value(c.id()));
        }
        return values;
    }

    /** What this replica knows of each counter: last value Redis reported plus unconfirmed debits. */
    synchronized long[] peek(List<BudgetCounter> counters, long now) {
        long[] values = new long[counters.size()];
        for (int i = 0; i < values.length; i++) {
            BudgetCounter c = counters.get(i);
            values[i] = c.windowEndMillis() <= now ? -1 : Math.max(0, value(c.id()));
        }
        return values;
    }

    private void debit(BudgetCounter c, long delta) {
        Debit d = pending.get(c.id());
        pending.put(c.id(), new Debit(c, d == null ? delta : d.delta() + delta));
    }

    private long value(String id) {
        long v = known.getOrDefault(id, 0L);
        Debit p = pending.get(id);
        Debit r = replaying.get(id);
        return v + (p == null ? 0 : p.delta()) + (r == null ? 0 : r.delta());
    }

    /** Hands out the debits to replay (those of ended windows are dropped); they stay counted until confirmed. */
    synchronized List<Debit> takePending(long now) {
        List<Debit> batch = new ArrayList<>(pending.size());
        for (Debit d : pending.values()) {
            if (d.counter().windowEndMillis() > now && d.delta() != 0) {
                batch.add(d);
                replaying.put(d.counter().id(), d);
            }
        }
        pending.clear();
        return batch;
    }

    /** The replay failed: its debits wait for the next one. */
    synchronized void replayFailed(List<Debit> batch) {
        for (Debit d : batch) {
            replaying.remove(d.counter().id());
            debit(d.counter(), d.delta());
        }
    }

    /** Redis took the batch and answered the counters' new values. */
    synchronized void replayed(List<Debit> batch, long[] values, long now) {
        for (int i = 0; i < batch.size(); i++) {
            BudgetCounter c = batch.get(i).counter();
            replaying.remove(c.id());
            if (values[i] >= 0) {
                known.put(c.id(), values[i]);
                knownUntil.put(c.id(), c.windowEndMillis());
            }
        }
        sweep(now);
    }

    /**
     * Redis answered: requests go back to it. Debits still waiting are flushed by the caller (a
     * busy replica always has a few; waiting for none would keep it away from Redis for good).
     *
     * @return true if this ended an outage
     */
    synchronized boolean up() {
        boolean was = down;
        down = false;
        return was;
    }

    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    synchronized int unconfirmed() {
        return pending.size() + replaying.size();
    }

    private void sweep(long now) {
        if (now < nextSweep) {
            return;
        }
        nextSweep = now + SWEEP_EVERY_MILLIS;
        knownUntil.entrySet().removeIf(e -> {
            if (e.getValue() > now) {
                return false;
            }
            known.remove(e.getKey());
            return true;
        });
    }
}
