package io.agentgateway.budget;

import io.agentgateway.core.BoundedLabel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code agentgateway_ratelimit_rejections_total{rule,namespace}} and
 * {@code agentgateway_budget_remaining{rule,namespace,limit_by}}. The gauge shows what this
 * replica last saw of a counter, and the full limit once that counter's window has ended. Lives as
 * long as the registry (across reloads, so a gauge keeps its state object); gauges of rules a
 * reload removed are unregistered. Label values are rule names from config and bounded
 * namespaces; a namespace past the bound counts its rejections as {@code other} and has no gauge.
 * Thread-safe.
 */
final class BudgetMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    /**
     * By rule name, then namespace label: looked up with the strings the request already holds,
     * so an observation allocates no key. The rule's {@code limit_by} is checked on the meter
     * found (a reload that changes it removes the old gauge first, see {@link #retain}).
     */
    private final Map<String, Map<String, Counter>> rejections = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Remaining>> remaining = new ConcurrentHashMap<>();

    /**
     * What this replica last saw of one counter. The window (limit, end, scale) is replaced whole
     * when it changes, once per window; the value, written on every observation, is a field of its
     * own, so an observation allocates nothing. A scrape racing a window change may pair one
     * observation's value with the other's window for that one scrape.
     */
    private record Window(long limit, long endMillis, double scale) {
    }

    private final class Remaining {
        final String limitBy;
        volatile Window window;
        volatile long value;
        Gauge gauge;

        Remaining(String limitBy) {
            this.limitBy = limitBy;
        }

        void see(long limit, long endMillis, double scale, long value) {
            Window w = window;
            if (w == null || w.limit() != limit || w.endMillis() != endMillis || w.scale() != scale) {
                window = new Window(limit, endMillis, scale);
            }
            this.value = value;
        }

        double value() {
            Window w = window;
            if (w == null) {
                return Double.NaN;
            }
            return (clock.millis() >= w.endMillis() ? w.limit() : RateLimitHeaders.remaining(w.limit(), value)) * w.scale();
        }
    }

    BudgetMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void rejected(BudgetRule rule, String namespace) {
        Map<String, Counter> ofRule = rejections.get(rule.name);
        Counter c = ofRule == null ? null : ofRule.get(namespace);
        if (c == null) {
            c = rejections.computeIfAbsent(rule.name, k -> new ConcurrentHashMap<>()).computeIfAbsent(namespace, ns -> Counter
                    .builder("agentgateway.ratelimit.rejections")
                    .description("Requests refused because a rate_limiting budget had no room")
                    .tags("rule", rule.name, "namespace", ns)
                    .register(registry));
        }
        c.increment();
    }

    void observe(BudgetRule rule, String namespace, BudgetCounter counter, long value) {
        if (value < 0 || BoundedLabel.OTHER.equals(namespace)) {
            return;
        }
        String limitBy = rule.limitBy();
        Map<String, Remaining> ofRule = remaining.get(rule.name);
        Remaining r = ofRule == null ? null : ofRule.get(namespace);
        if (r == null || !r.limitBy.equals(limitBy)) {
            r = gauge(rule.name, namespace, limitBy);
        }
        // cost counters hold micro-dollars; the gauge shows dollars
        r.see(counter.limit(), counter.windowEndMillis(), rule.cost ? 1e-6 : 1, value);
    }

    /** The gauge of a rule and namespace, registered on first sight (or again after limit_by changed). */
    private Remaining gauge(String rule, String namespace, String limitBy) {
        return remaining.computeIfAbsent(rule, k -> new ConcurrentHashMap<>()).compute(namespace, (ns, old) -> {
            if (old != null && old.limitBy.equals(limitBy)) {
                return old;
            }
            if (old != null) {
                registry.remove(old.gauge);
            }
            Remaining fresh = new Remaining(limitBy);
            fresh.gauge = Gauge.builder("agentgateway.budget.remaining", fresh, Remaining::value)
                    .description("What is left of a rate_limiting budget in its current window, as this replica last saw it")
                    .tags("rule", rule, "namespace", ns, "limit_by", limitBy)
                    .strongReference(true)
                    .register(registry);
            return fresh;
        });
    }

    /** Drops the gauges of rules that are no longer configured (by name and {@code limit_by}). */
    void retain(Map<String, String> limitByRule) {
        remaining.forEach((rule, ofRule) -> ofRule.entrySet().removeIf(e -> {
            if (e.getValue().limitBy.equals(limitByRule.get(rule))) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        }));
    }
}
