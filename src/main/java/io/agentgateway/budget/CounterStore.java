package io.agentgateway.budget;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where budget counters live: {@link #memory} in this process, or Redis shared by every replica.
 * Both operations touch several counters at once, atomically.
 *
 * <p>Implementations are thread-safe and never block the calling event loop; the returned futures
 * complete on the caller's Vert.x context when there is one.
 */
public interface CounterStore {

    /**
     * What a store answered: whether a reservation was granted, and each counter's value after it
     * (or as it stands, when refused). {@code values[i]} belongs to the i-th counter asked about.
     */
    record Counts(boolean granted, long[] values) {
    }

    /**
     * All or nothing: if every counter is below its limit and has room for its amount, adds every
     * amount; otherwise changes nothing. Fails with {@link BudgetUnavailableException} when the
     * store cannot be reached and may not be done without.
     */
    Future<Counts> reserve(List<BudgetCounter> counters, long[] amounts);

    /**
     * Adds {@code deltas} (negative ones release an over-reservation; a counter never goes below
     * zero) to the counters whose window has not ended; the others are left alone and report -1.
     * Debits are facts: they are applied even past a limit, and kept for later when the store is
     * unreachable.
     */
    Future<long[]> adjust(List<BudgetCounter> counters, long[] deltas);

    /**
     * Reads the counters without changing them (the console's usage view): their values as the
     * store holds them, 0 for a counter nobody has touched, -1 for one whose window has ended.
     * A Redis store answers the cluster-wide value, or what this replica knows while Redis is away.
     */
    Future<long[]> peek(List<BudgetCounter> counters);

    /** Releases connections and timers; later calls fail. */
    Future<Void> close();
}
