package io.agentgateway.budget;

import io.agentgateway.identity.Principal;
import io.agentgateway.core.BoundedLabel;
import io.agentgateway.policy.Resource;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code rate_limiting} rules of one config over a {@link CounterStore}. A request is reserved
 * against every rule that applies to its principal and resource, in one atomic store operation:
 * all of them or none. Token rules reserve the estimate, request rules one request, cost rules
 * the estimate's price in micro-dollars. Immutable and thread-safe.
 */
final class RuleBudgets implements Budgets {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RuleBudgets.class);
    private final List<BudgetRule> rules;
    private final CounterStore store;
    private final Clock clock;
    private final BudgetMetrics metrics;
    private final BoundedLabel namespaces;
    private final PriceTable prices;
    private final Set<String> unpriced = ConcurrentHashMap.newKeySet();

    RuleBudgets(List<BudgetRule> rules, CounterStore store, Clock clock, BudgetMetrics metrics, BoundedLabel namespaces,
                PriceTable prices) {
        this.rules = List.copyOf(rules);
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
        this.namespaces = namespaces;
        this.prices = prices;
    }

    @Override
    public PriceTable prices() {
        return prices;
    }

    @Override
    public Future<Reservation> reserve(Principal principal, Resource resource, Estimate estimate) {
        List<BudgetRule> applicable = null;
        for (BudgetRule r : rules) {
            if (r.applies(principal, resource)) {
                if (applicable == null) {
                    applicable = new ArrayList<>(2);
                }
                applicable.add(r);
            }
        }
        if (applicable == null) {
            return Future.succeededFuture(Reservation.NONE);
        }
        String namespace = principal.namespace() == null ? BudgetRule.NO_NAMESPACE : principal.namespace();
        long now = clock.millis();
        List<BudgetCounter> counters = new ArrayList<>(applicable.size());
        long[] amounts = new long[applicable.size()];
        PriceTable.Price price = null;
        for (int i = 0; i < amounts.length; i++) {
            BudgetRule r = applicable.get(i);
            counters.add(r.counter(namespace, now));
            if (r.cost && price == null) {
                price = price(estimate.model());
            }
            amounts[i] = r.tokens ? estimate.totalTokens()
                    : r.cost ? (price == null ? 0 : price.microUsd(estimate.inputTokens(), 0, estimate.outputTokens())) : 1;
        }
        String label = namespaces.value(principal.namespace());
        Future<CounterStore.Counts> counted = store.reserve(counters, amounts);
        if (counted.succeeded()) {
            // The memory store answers at once: no step to chain.
            return settle(applicable, counters, amounts, counted.result(), namespace, label, price);
        }
        List<BudgetRule> matched = applicable;
        PriceTable.Price charged = price;
        return counted.compose(counts -> settle(matched, counters, amounts, counts, namespace, label, charged));
    }

    private Future<Reservation> settle(List<BudgetRule> matched, List<BudgetCounter> counters, long[] amounts,
                                       CounterStore.Counts counts, String namespace, String label, PriceTable.Price charged) {
        long at = clock.millis();
        for (int i = 0; i < counters.size(); i++) {
            metrics.observe(matched.get(i), label, counters.get(i), counts.values()[i]);
        }
        if (counts.granted()) {
            return Future.succeededFuture(new RuleReservation(store, matched, counters, amounts, counts.values(), at,
                    metrics, label, charged));
        }
        return Future.failedFuture(refusal(matched, counters, amounts, counts.values(), namespace, label, at));
    }

    /**
     * The price cost rules charge for {@code model}; null when it has none (the request is then
     * not charged by cost rules, and a warning names the model once).
     */
    private PriceTable.Price price(String model) {
        PriceTable.Price p = prices.price(model);
        if (p == null && model != null && unpriced.size() < 1000 && unpriced.add(model)) {
            log.warn("model {} has no price in llm.pricing or the built-in prices: limit_by: cost rules do not charge it", model);
        }
        return p;
    }

    @Override
    public Future<List<BudgetUsage>> usage(String namespace) {
        long now = clock.millis();
        List<BudgetRule> covering = new ArrayList<>();
        List<BudgetCounter> counters = new ArrayList<>();
        for (BudgetRule r : rules) {
            if (r.coversNamespace(namespace)) {
                covering.add(r);
                counters.add(r.counter(namespace, now));
            }
        }
        if (counters.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return store.peek(counters).map(values -> {
            List<BudgetUsage> out = new ArrayList<>(values.length);
            for (int i = 0; i < values.length; i++) {
                BudgetRule r = covering.get(i);
                BudgetCounter c = counters.get(i);
                out.add(new BudgetUsage(r.name, namespace, r.limitBy(), r.limit, r.window, Math.max(0, values[i]),
                        c.windowEndMillis() - r.windowMillis, c.windowEndMillis()));
            }
            return out;
        });
    }

    /** Names the refusing rule that frees up last, so its Retry-After is worth waiting for. */
    private BudgetExceededException refusal(List<BudgetRule> rules, List<BudgetCounter> counters, long[] amounts,
                                            long[] values, String namespace, String label, long now) {
        int worst = -1;
        for (int i = 0; i < rules.size(); i++) {
            BudgetRule r = rules.get(i);
            if (values[i] >= r.limit || values[i] + amounts[i] > r.limit) {
                metrics.rejected(r, label);
                if (worst < 0 || counters.get(i).windowEndMillis() > counters.get(worst).windowEndMillis()) {
                    worst = i;
                }
            }
        }
        if (worst < 0) {
            // The store refused but every counter it reported has room: it moved in between. Name the first rule.
            worst = 0;
        }
        BudgetRule r = rules.get(worst);
        long resetMillis = Math.max(0, counters.get(worst).windowEndMillis() - now);
        long left = RateLimitHeaders.remaining(r.limit, values[worst]);
        String unit = r.tokens ? "tokens" : "requests";
        StringBuilder message = new StringBuilder(200).append("Rate limit exceeded: rule ").append(r.name).append(" allows ");
        if (r.cost) {
            message.append("$").append(PriceTable.usd(r.limit));
        } else {
            message.append(r.limit).append(' ').append(unit);
        }
        message.append(" per ").append(r.window).append(" for namespace ").append(namespace).append("; ");
        if (r.cost) {
            message.append("$").append(PriceTable.usd(left)).append(" remain");
            if (amounts[worst] > 0) {
                message.append(" and this request may cost up to $").append(PriceTable.usd(amounts[worst]));
            }
        } else if (r.tokens && amounts[worst] > r.limit) {
            message.append("this request may use up to ").append(amounts[worst])
                    .append(" tokens, more than the whole budget: lower max_tokens");
        } else if (r.tokens) {
            message.append(left).append(" remain and this request may use up to ").append(amounts[worst]);
        } else {
            message.append("none remain");
        }
        message.append(" (the window resets in ").append(RateLimitHeaders.duration(resetMillis)).append(')');
        return new BudgetExceededException(r.name, message.toString(), Duration.ofMillis(resetMillis),
                RateLimitHeaders.of(rules, counters, values, now));
    }
}
