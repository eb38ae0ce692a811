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
    /**
     * Reserves {@code estimate} against every applicable rule: its tokens for token rules, one
     * request for request rules, its price (by {@link #prices()}) in micro-dollars for cost rules.
     */
    Future<Reservation> reserve(Principal principal, Resource resource, Estimate estimate);

    /** A token estimate that names no model. */
    default Future<Reservation> reserve(Principal principal, Resource resource, long estimatedTokens) {
        return reserve(principal, resource, Estimate.tokens(estimatedTokens));
    }

    /** The prices cost rules charge (also what the audit log and the cost metric report). */
    default PriceTable prices() {
        return PriceTable.DEFAULT;
    }

    /**
     * What {@code namespace} has used of each rule that counts it, in the current window, as the
     * counter store holds it (cluster-wide with Redis). Changes nothing.
     */
    default Future<List<BudgetUsage>> usage(String namespace) {
        return Future.succeededFuture(List.of());
    }

    /** No rule configured: every reservation succeeds and costs nothing. */
    Budgets UNLIMITED = unlimited(PriceTable.DEFAULT);

    /** No rule configured, with the prices that cost is still reported by. */
    static Budgets unlimited(PriceTable prices) {
        return new Budgets() {
            @Override
            public Future<Reservation> reserve(Principal principal, Resource resource, Estimate estimate) {
                return Future.succeededFuture(Reservation.NONE);
            }

            @Override
            public PriceTable prices() {
                return prices;
            }
        };
    }
}
