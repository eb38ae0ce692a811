package io.agentgateway.upstream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ConnectionGate}s of one gateway process (one per Vert.x instance), one per upstream
 * by kind and name, kept across reloads: requests in flight when a reload lands still hold their
 * places in the same gate, and its meters stay registered once. A reload with new limits applies
 * them to the existing gate. Thread-safe.
 */
public final class ConnectionGates {
    private static final Map<Vertx, ConnectionGates> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

    /** The last Vert.x asked about, and its gates: the lookup of every request, without the map's lock. */
    private static volatile Last last;

    private record Last(WeakReference<Vertx> vertx, ConnectionGates gates) {
    }

    private final MeterRegistry registry;
    /** By kind, then name: a lookup allocates nothing (a composite key would, per request). */
    private final Map<String, Map<String, ConnectionGate>> gates = new ConcurrentHashMap<>();

    private ConnectionGates(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Makes {@code registry} the home of the gates' meters for {@code vertx}; call once, before traffic. */
    public static void install(Vertx vertx, MeterRegistry registry) {
        BY_VERTX.put(vertx, new ConnectionGates(registry));
        last = null;
    }

    /** The gates of {@code vertx}; with meters nobody reads when {@link #install} was not called (tests building parts by hand). */
    public static ConnectionGates of(Vertx vertx) {
        Last l = last;
        if (l != null && l.vertx().get() == vertx) {
            return l.gates();
        }
        ConnectionGates gates = BY_VERTX.computeIfAbsent(vertx, v -> new ConnectionGates(new SimpleMeterRegistry()));
        last = new Last(new WeakReference<>(vertx), gates);
        return gates;
    }

    /**
     * The gate of one upstream, created on first use and given {@code limits} if they changed.
     *
     * @param kind {@code llm}, {@code mcp} or {@code a2a} (the {@code upstream_kind} label)
     * @param name the provider, MCP server or agent ({@code NAMESPACE/NAME}); from config, so bounded
     */
    public ConnectionGate gate(String kind, String name, ConnectionGate.Limits limits) {
        Map<String, ConnectionGate> ofKind = gates.get(kind);
        ConnectionGate g = ofKind == null ? null : ofKind.get(name);
        if (g == null) {
            g = gates.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> ConnectionGate.create(kind, name, limits, registry));
        }
        if (!g.limits().equals(limits)) {
            g.limits(limits);
        }
        return g;
    }
}
