package io.agentgateway.budget;

import io.agentgateway.config.RateLimitRule;
import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.core.BoundedLabel;
import io.agentgateway.secret.SecretRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Budget state that must outlive a config reload: the counter store and the budget metrics. A
 * reload whose {@code rate_limit_store} is unchanged gets the same store, so the counts of a
 * {@code memory} store (and a Redis store's connections and unconfirmed debits) carry over; any
 * {@code memory} config is the same store. A replaced store is closed after a grace period, so
 * requests still running on the old config can settle.
 *
 * <p>Created once per process (in the gateway's services); thread-safe; {@link #close} at shutdown.
 */
public final class BudgetState implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BudgetState.class);
    private static final long RETIRE_AFTER_MILLIS = 5 * 60_000;
    private static final int NAMESPACE_LABELS = 200;

    private final Vertx vertx;
    private final Clock clock;
    private final BudgetMetrics metrics;
    private final Counter droppedNamespaces;
    private Object storeKey;
    private CounterStore store;
    private boolean closed;

    public BudgetState(Vertx vertx, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.clock = clock;
        this.metrics = new BudgetMetrics(registry, clock);
        this.droppedNamespaces = Counter.builder("agentgateway.metric.label.values.dropped")
                .description("Observations recorded with label value other: the label already had its cap of "
                        + NAMESPACE_LABELS + " values beyond those the config names")
                .tag("label", "namespace").register(registry);
    }

    /**
     * The budgets of one config. Call only for a config that will be used (it may replace the
     * store). Blocking-free, but call it off the event loop like the rest of compilation.
     *
     * @param password        the Redis password's secret, or null
     * @param knownNamespaces namespace label values always shown in metrics; others are capped
     */
    public Budgets budgets(List<RateLimitRule> rules, RateLimitStoreConfig storeConfig, SecretRef password,
                           Set<String> knownNamespaces) {
        return budgets(rules, storeConfig, password, knownNamespaces, PriceTable.DEFAULT);
    }

    /** @param prices what cost rules charge and cost is reported by */
    public synchronized Budgets budgets(List<RateLimitRule> rules, RateLimitStoreConfig storeConfig, SecretRef password,
                                        Set<String> knownNamespaces, PriceTable prices) {
        if (closed) {
            throw new IllegalStateException("the budget state is closed");
        }
        Map<String, String> limitByRule = new HashMap<>();
        List<BudgetRule> compiled = new ArrayList<>(rules.size());
        for (RateLimitRule r : rules) {
            BudgetRule rule = new BudgetRule(r);
            compiled.add(rule);
            limitByRule.put(rule.name, rule.limitBy());
        }
        metrics.retain(limitByRule);
        if (compiled.isEmpty()) {
            return Budgets.unlimited(prices);
        }
        return new RuleBudgets(compiled, store(storeConfig, password), clock, metrics,
                new BoundedLabel(knownNamespaces, NAMESPACE_LABELS, droppedNamespaces::increment), prices);
    }

    private CounterStore store(RateLimitStoreConfig config, SecretRef password) {
        Object key = config.type() == RateLimitStoreConfig.StoreType.MEMORY ? RateLimitStoreConfig.StoreType.MEMORY : config;
        if (key.equals(storeKey)) {
            return store;
        }
        CounterStore old = store;
        store = config.type() == RateLimitStoreConfig.StoreType.MEMORY ? new MemoryCounterStore(clock)
                : RedisCounterStore.create(vertx, config, password, clock);
        storeKey = key;
        if (old != null) {
            log.info("rate_limit_store changed: budgets count in a new store from now on");
            vertx.setTimer(RETIRE_AFTER_MILLIS, t -> old.close());
        }
        return store;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (store != null) {
            store.close();
            store = null;
        }
    }
}
