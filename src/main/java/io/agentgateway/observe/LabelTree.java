package io.agentgateway.observe;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of one name by their four label values, in a tree of maps keyed by the values in order:
 * finding the meter of an exchange takes four lookups with the strings the exchange already
 * holds, and allocates nothing (a key record per exchange would be an object, and its hash
 * computed, per request). A meter is built the first time its values occur. Label values must be
 * bounded by the caller. Thread-safe.
 */
final class LabelTree<M> {
    /** Builds the meter of four label values (called once per distinct combination). */
    @FunctionalInterface
    interface Builder<M> {
        M build(String a, String b, String c, String d);
    }

    private final Builder<M> builder;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, M>>>> root =
            new ConcurrentHashMap<>();

    LabelTree(Builder<M> builder) {
        this.builder = builder;
    }

    M get(String a, String b, String c, String d) {
        var ofA = root.get(a);
        if (ofA == null) {
            ofA = root.computeIfAbsent(a, k -> new ConcurrentHashMap<>());
        }
        var ofB = ofA.get(b);
        if (ofB == null) {
            ofB = ofA.computeIfAbsent(b, k -> new ConcurrentHashMap<>());
        }
        var ofC = ofB.get(c);
        if (ofC == null) {
            ofC = ofB.computeIfAbsent(c, k -> new ConcurrentHashMap<>());
        }
        M m = ofC.get(d);
        return m != null ? m : ofC.computeIfAbsent(d, k -> builder.build(a, b, c, k));
    }
}
