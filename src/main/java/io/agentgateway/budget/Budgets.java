package io.agentgateway.budget;

import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Resource;
import io.vertx.core.Future;

import java.util.List;

/**
 * The per-namespace budgets of {@code rate_limiting}. {@link #reserve} takes an estimate out of
 * every budget that applies before a request is forwarded, and fails with
 * {@link BudgetExceededException} (429) when one does not have room, or with
 * {@link BudgetUnavailableException} (503) when the counter store cannot be reached under
 * {@code fail_closed}. The returned {@link Reservation} is reconciled to the real usage after.
 *
 * <p>Thread-safe; never blocks the calling event loop.
 */
public interface Budgets {
    Future<Reservation> reserve(Principal principal, Resource resource, long estimatedTokens);

    /**
     * What {@code namespace} has used of each rule that counts it, in the current window, as the
     * counter store holds it (cluster-wide with Redis). Changes nothing.
     */
    default Future<List<BudgetUsage>> usage(String namespace) {
        return Future.succeededFuture(List.of());
    }

    /** No rule configured: every reservation succeeds and costs nothing. */
    Budgets UNLIMITED = new Budgets() {
        @Override
        public Future<Reservation> reserve(Principal principal, Resource resource, long estimatedTokens) {
            return Future.succeededFuture(Reservation.NONE);
        }
    };
}
