package io.agentgateway.budget;

import io.agentgateway.core.Usage;

import io.vertx.core.MultiMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one request holds of the budgets that apply to it. Reconciling charges token rules the
 * difference between the real usage and the reservation (a release when less was used), and cost
 * rules the difference between the real usage's price and the reserved one; request rules were
 * charged in full when reserved. Confined to the request's event loop.
 */
final class RuleReservation implements Reservation {
    private static final Logger log = LoggerFactory.getLogger(RuleReservation.class);

    private final CounterStore store;
    private final List<BudgetRule> rules;
    private final List<BudgetCounter> counters;
    private final long[] reserved;
    /** What the counters showed when the reservation was granted, and when: for the rate-limit headers. */
    private final long[] seen;
    private final long seenAt;
    private final BudgetMetrics metrics;
    private final String namespaceLabel;
    private final PriceTable.Price price;
    private boolean reconciled;

    /** @param price what cost rules charge; null when none applies or the model has no price */
    RuleReservation(CounterStore store, List<BudgetRule> rules, List<BudgetCounter> counters, long[] reserved,
                    long[] seen, long seenAt, BudgetMetrics metrics, String namespaceLabel, PriceTable.Price price) {
        this.store = store;
        this.rules = rules;
        this.counters = counters;
        this.reserved = reserved;
        this.seen = seen;
        this.seenAt = seenAt;
        this.metrics = metrics;
        this.namespaceLabel = namespaceLabel;
        this.price = price;
    }

    @Override
    public void reconcile(Usage actual) {
        if (reconciled) {
            return;
        }
        reconciled = true;
        long used = actual == null ? 0 : Math.max(actual.totalTokens(), actual.inputTokens() + actual.outputTokens());
        long spent = price == null ? 0 : price.microUsd(actual);
        List<BudgetRule> changed = new ArrayList<>(rules.size());
        List<BudgetCounter> touched = new ArrayList<>(rules.size());
        long[] deltas = new long[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            BudgetRule r = rules.get(i);
            long actualAmount = r.tokens ? used : r.cost ? spent : reserved[i];
            if (actualAmount != reserved[i]) {
                deltas[touched.size()] = actualAmount - reserved[i];
                changed.add(rules.get(i));
                touched.add(counters.get(i));
            }
        }
        if (touched.isEmpty()) {
            return;
        }
        long[] exact = Arrays.copyOf(deltas, touched.size());
        store.adjust(touched, exact).onSuccess(values -> {
            for (int i = 0; i < values.length; i++) {
                metrics.observe(changed.get(i), namespaceLabel, touched.get(i), values[i]);
            }
        }).onFailure(e -> log.warn("could not settle a budget reservation ({}): {}", touched, e.getMessage()));
    }

    @Override
    public void writeHeaders(MultiMap out) {
        RateLimitHeaders.write(out, rules, counters, seen, seenAt);
    }
}
