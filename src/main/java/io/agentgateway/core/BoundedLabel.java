package io.agentgateway.core;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a metric label's values bounded: values named in config always pass, up to {@code cap}
 * others are admitted as first seen, and everything after that is {@code other}. A caller cannot
 * blow up the time-series count by inventing model names. Thread-safe.
 */
public final class BoundedLabel {
    public static final String OTHER = "other";

    private final Set<String> known;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final int cap;

    public BoundedLabel(Set<String> known, int cap) {
        this.known = Set.copyOf(known);
        this.cap = cap;
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
        return admitted.contains(v) ? v : OTHER;
    }
}
