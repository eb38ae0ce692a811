package io.agentgateway.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's values bounded: values named in config always pass, up to {@code cap}
 * others are admitted as first seen, and everything after that is {@code other}. A caller cannot
 * blow up the time-series count by inventing model names. Each value turned into {@code other} is
 * reported to the {@code dropped} callback (the gateway counts them in
 * {@code agentgateway_metric_label_values_dropped_total}), so a cap that is too small is visible.
 * Thread-safe.
 */
public final class BoundedLabel {
    public static final String OTHER = "other";

    private final Set<String> known;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final int cap;
    private final Runnable dropped;

    public BoundedLabel(Set<String> known, int cap) {
        this(known, cap, () -> {
        });
    }

    /** @param dropped run each time a value is turned into {@code other}; must be cheap and thread-safe */
    public BoundedLabel(Set<String> known, int cap, Runnable dropped) {
        this.known = Set.copyOf(known);
        this.cap = cap;
        this.dropped = dropped;
    }

    public String value(String v) {
        if (v == null) {
            return "none";
        }
        if (known.contains(v) || admitted.contains(v)) {
            return v;
        }
        if (admitted.size() < cap && admitted.add(v)) {
            return v;
        }
        if (admitted.contains(v)) {
            return v;
        }
        dropped.run();
        return OTHER;
    }
}
