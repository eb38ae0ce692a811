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
 * difference between the real usage and the reservation (a release when less was used); request
 * rules were charged in full when reserved. Confined to the request's event loop.
 */
final class RuleReservation implements Reservation {
    private static final Logger log = LoggerFactory.getLogger(RuleReservation.class);

    private final CounterStore store;
    private final List<BudgetRule> rules;
    private final List<BudgetCounter> counters;
    private final long[] reserved;
    private final MultiMap headers;
    private final BudgetMetrics metrics;
    private final String namespaceLabel;
    private boolean reconciled;

    RuleReservation(CounterStore store, List<BudgetRule> rules, List<BudgetCounter> counters, long[] reserved,
                    MultiMap headers, BudgetMetrics metrics, String namespaceLabel) {
        this.store = store;
        this.rules = rules;
        this.counters = counters;
        this.reserved = reserved;
        this.headers = headers;
        this.metrics = metrics;
        this.namespaceLabel = namespaceLabel;
    }

    @Override
    public void reconcile(Usage actual) {
        if (reconciled) {
            return;
        }
        reconciled = true;
        long used = actual == null ? 0 : Math.max(actual.totalTokens(), actual.inputTokens() + actual.outputTokens());
        List<BudgetRule> changed = new ArrayList<>(rules.size());
        List<BudgetCounter> touched = new ArrayList<>(rules.size());
        long[] deltas = new long[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).tokens && used != reserved[i]) {
                deltas[touched.size()] = used - reserved[i];
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
        out.addAll(headers);
    }
}
