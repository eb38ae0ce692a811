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
    private final Map<Labels, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<Labels, Remaining> remaining = new ConcurrentHashMap<>();

    private record Labels(String rule, String namespace, String limitBy) {
    }

    /** The last observation of one counter; replaced whole, so the gauge reads a consistent triple. */
    private record Seen(long limit, long windowEndMillis, long value, double scale) {
    }

    private final class Remaining {
        volatile Seen seen;
        Gauge gauge;

        double value() {
            Seen s = seen;
            if (s == null) {
                return Double.NaN;
            }
            return (clock.millis() >= s.windowEndMillis() ? s.limit() : RateLimitHeaders.remaining(s.limit(), s.value())) * s.scale();
        }
    }

    BudgetMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void rejected(BudgetRule rule, String namespace) {
        rejections.computeIfAbsent(new Labels(rule.name, namespace, null), k -> Counter
                .builder("agentgateway.ratelimit.rejections")
                .description("Requests refused because a rate_limiting budget had no room")
                .tags("rule", k.rule(), "namespace", k.namespace())
                .register(registry)).increment();
    }

    void observe(BudgetRule rule, String namespace, BudgetCounter counter, long value) {
        if (value < 0 || BoundedLabel.OTHER.equals(namespace)) {
            return;
        }
        Remaining r = remaining.computeIfAbsent(new Labels(rule.name, namespace, rule.limitBy()), k -> {
            Remaining fresh = new Remaining();
            fresh.gauge = Gauge.builder("agentgateway.budget.remaining", fresh, Remaining::value)
                    .description("What is left of a rate_limiting budget in its current window, as this replica last saw it")
                    .tags("rule", k.rule(), "namespace", k.namespace(), "limit_by", k.limitBy())
                    .strongReference(true)
                    .register(registry);
            return fresh;
        });
        // cost counters hold micro-dollars; the gauge shows dollars
        r.seen = new Seen(counter.limit(), counter.windowEndMillis(), value, rule.cost ? 1e-6 : 1);
    }

    /** Drops the gauges of rules that are no longer configured (by name and {@code limit_by}). */
    void retain(Map<String, String> limitByRule) {
        remaining.entrySet().removeIf(e -> {
            if (e.getKey().limitBy().equals(limitByRule.get(e.getKey().rule()))) {
                return false;
            }
            registry.remove(e.getValue().gauge);
            return true;
        });
    }
}
