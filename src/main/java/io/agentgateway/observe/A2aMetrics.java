package io.agentgateway.observe;

import io.agentgateway.core.BoundedLabel;

import io.agentgateway.policy.Resource;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeListener;
import io.agentgateway.server.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code agentgateway_a2a_requests_total{source_namespace,target_namespace,target_agent,method}}:
 * one count per A2A exchange that named a target agent, refused or not, so
 * agent-to-agent traffic can be seen namespace by namespace. The method is the JSON-RPC method
 * (the exchange's action; {@code agent_card} for card fetches). Every label is bounded: methods
 * outside the known set and names beyond the caps are {@code other}.
 *
 * <p>Thread-safe; one per compiled runtime (the registry keeps the counters across reloads).
 */
public final class A2aMetrics implements ExchangeListener {
    private final MeterRegistry registry;
    private final BoundedLabel namespaces;
    private final BoundedLabel agents;
    private final BoundedLabel methods;
    private final LabelTree<Counter> counters;

    /**
     * @param namespaces source and target namespaces
     * @param agents     target agent names
     * @param methods    method names (give a cap of 0 so only known methods appear)
     */
    public A2aMetrics(MeterRegistry registry, BoundedLabel namespaces, BoundedLabel agents, BoundedLabel methods) {
        this.registry = registry;
        this.namespaces = namespaces;
        this.agents = agents;
        this.methods = methods;
        this.counters = new LabelTree<>((source, targetNamespace, targetAgent, method) -> Counter.builder("agentgateway.a2a.requests")
                .description("A2A calls by source namespace, target agent and JSON-RPC method")
                .tags("source_namespace", source, "target_namespace", targetNamespace, "target_agent", targetAgent, "method", method)
                .register(registry));
    }

    @Override
    public void onComplete(Exchange ex) {
        if (!(ex.resource() instanceof Resource.Agent target)) {
            return;
        }
        counters.get(namespaces.value(ex.principal() == null ? null : ex.principal().namespace()),
                namespaces.value(target.namespace()), agents.value(target.name()), methods.value(ex.action())).increment();
    }

    @Override
    public Set<Protocol> protocols() {
        return EnumSet.of(Protocol.A2A);
    }
}
