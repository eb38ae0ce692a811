package io.agentgateway.observe;

import io.agentgateway.core.BoundedLabel;

import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeListener;
import io.agentgateway.server.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code agentgateway_mcp_requests_total{server,method,tool,namespace}}: one count per MCP
 * exchange (one JSON-RPC message), from the facts the MCP flows record
 * ({@link Facts.Mcp}); it runs for MCP exchanges only. Labels stay bounded:
 * servers are the configured ones, methods the MCP ones, tools only names an upstream actually
 * served a successful call for (up to a cap); anything else is {@code other}, so a caller
 * cannot mint series by calling made-up tools. Thread-safe.
 */
public final class McpMetrics implements ExchangeListener {
    private static final int MAX_TOOLS = 500;

    private final MeterRegistry registry;
    private final Set<String> servers;
    private final Set<String> methods;
    private final BoundedLabel namespaces;
    private final Set<String> tools = ConcurrentHashMap.newKeySet();
    private final LabelTree<Counter> counters;

    public McpMetrics(MeterRegistry registry, Set<String> servers, Set<String> methods, BoundedLabel namespaces) {
        this.registry = registry;
        this.servers = Set.copyOf(servers);
        this.methods = Set.copyOf(methods);
        this.namespaces = namespaces;
        this.counters = new LabelTree<>((server, method, tool, namespace) -> Counter.builder("agentgateway.mcp.requests")
                .description("MCP messages by server, method, tool and namespace")
                .tags("server", server, "method", method, "tool", tool, "namespace", namespace)
                .register(registry));
    }

    @Override
    public void onComplete(Exchange ex) {
        String server = label(ex.fact(Facts.Mcp.SERVER), servers, "*");
        String method = label(ex.fact(Facts.Mcp.METHOD), methods, null);
        String tool = tool(ex);
        String ns = namespaces.value(ex.principal() == null ? null : ex.principal().namespace());
        counters.get(server, method, tool, ns).increment();
    }

    private String tool(Exchange ex) {
        String name = ex.fact(Facts.Mcp.TOOL);
        if (name == null) {
            return "none";
        }
        if (tools.contains(name)) {
            return name;
        }
        boolean served = ex.error() == null && ex.fact(Facts.Mcp.ERROR_CODE) == null && ex.status() / 100 == 2;
        if (served && tools.size() < MAX_TOOLS) {
            tools.add(name);
            return name;
        }
        return BoundedLabel.OTHER;
    }

    @Override
    public Set<Protocol> protocols() {
        return EnumSet.of(Protocol.MCP);
    }

    private static String label(String v, Set<String> known, String alsoAllowed) {
        if (v == null) {
            return "none";
        }
        return known.contains(v) || v.equals(alsoAllowed) ? v : BoundedLabel.OTHER;
    }
}
