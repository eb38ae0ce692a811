package io.agentgateway.console;

import io.agentgateway.budget.BudgetUsage;
import io.agentgateway.runtime.Gateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code GET /api/namespaces}: per namespace, each budget rule's use in the current window (from
 * the counter store) with its recent history, requests by status, refusals by policy and by rule,
 * and the top models (tokens), MCP tools and A2A targets (calls). Activity comes from this
 * replica's metrics since it started; policy refusals from the audit events it wrote.
 */
final class NamespaceReport {
    private static final int TOP = 8;
    private static final Set<String> NOT_A_NAMESPACE = Set.of("", "-", "other", "none");

    private final Gateway gateway;
    private final UsageHistory history;
    private final AuditTail audit;
    private final MeterRegistry metrics;

    NamespaceReport(Gateway gateway, UsageHistory history, AuditTail audit) {
        this.gateway = gateway;
        this.history = history;
        this.audit = audit;
        this.metrics = gateway.services().metrics();
    }

    Future<JsonObject> render() {
        Map<String, Map<String, Double>> statuses = byNamespace("agentgateway.requests", "namespace", "status");
        Map<String, Map<String, Double>> models = byNamespace("agentgateway.tokens", "namespace", "model");
        Map<String, Map<String, Double>> tools = byNamespace("agentgateway.mcp.requests", "namespace", "server", "tool",
                c -> "tools/call".equals(c.getId().getTag("method")));
        Map<String, Map<String, Double>> agents = byNamespace("agentgateway.a2a.requests", "source_namespace",
                "target_namespace", "target_agent", c -> !"agent_card".equals(c.getId().getTag("method")));
        Map<String, Map<String, Double>> rules = byNamespace("agentgateway.ratelimit.rejections", "namespace", "rule");
        Map<String, Map<String, Long>> policies = audit.policyRefusals();
        Set<String> active = new HashSet<>(statuses.keySet());
        active.addAll(policies.keySet());
        active.removeAll(NOT_A_NAMESPACE);

        List<String> names = new ArrayList<>(history.namespaces(active));
        List<Future<List<BudgetUsage>>> usage = names.stream().map(history::current).toList();
        return Future.all(usage).map(done -> {
            JsonArray out = new JsonArray();
            for (int i = 0; i < names.size(); i++) {
                String ns = names.get(i);
                JsonArray refusals = new JsonArray();
                policies.getOrDefault(ns, Map.of()).forEach((policy, n) -> refusals.add(new JsonObject()
                        .put("kind", "policy").put("name", policy).put("count", n)));
                rules.getOrDefault(ns, Map.of()).forEach((rule, n) -> refusals.add(new JsonObject()
                        .put("kind", "rule").put("name", rule).put("count", Math.round(n))));
                out.add(new JsonObject()
                        .put("name", ns)
                        .put("budgets", budgets(usage.get(i).result()))
                        .put("requests", counts(statuses.getOrDefault(ns, Map.of())))
                        .put("refusals", refusals)
                        .put("models", top(models.getOrDefault(ns, Map.of()), "model", "tokens"))
                        .put("tools", top(tools.getOrDefault(ns, Map.of()), "tool", "calls"))
                        .put("agents", top(agents.getOrDefault(ns, Map.of()), "agent", "calls")));
            }
            return new JsonObject().put("sampled_every_ms", UsageHistory.EVERY_MILLIS)
                    .put("store", gateway.runtime().config().rateLimitStore().type().name().toLowerCase(java.util.Locale.ROOT))
                    .put("namespaces", out);
        });
    }

    private JsonArray budgets(List<BudgetUsage> usage) {
        JsonArray out = new JsonArray();
        long now = gateway.services().clock().millis();
        for (BudgetUsage u : usage) {
            // cost counters hold millionths of a dollar; the console shows dollars
            boolean usd = "cost".equals(u.limitBy());
            JsonArray points = new JsonArray();
            history.points(u.namespace(), u.rule()).forEach(p -> points.add(new JsonArray().add(p.at())
                    .add(usd ? (Object) (p.used() / 1e6) : (Object) p.used())));
            out.add(new JsonObject().put("rule", u.rule()).put("limit_by", u.limitBy())
                    .put("limit", usd ? (Object) (u.limit() / 1e6) : (Object) u.limit())
                    .put("window", u.window()).put("used", usd ? (Object) (u.used() / 1e6) : (Object) u.used())
                    .put("remaining", usd ? (Object) (Math.max(0, u.limit() - u.used()) / 1e6) : (Object) Math.max(0, u.limit() - u.used()))
                    .put("window_start", u.windowStartMillis()).put("window_end", u.windowEndMillis())
                    .put("resets_in_ms", Math.max(0, u.windowEndMillis() - now))
                    .put("history", points));
        }
        return out;
    }

    private static JsonObject counts(Map<String, Double> byStatus) {
        JsonObject out = new JsonObject();
        long total = 0;
        for (Map.Entry<String, Double> e : new TreeMap<>(byStatus).entrySet()) {
            long n = Math.round(e.getValue());
            out.put(e.getKey(), n);
            total += n;
        }
        return new JsonObject().put("total", total).put("by_status", out);
    }

    private static JsonArray top(Map<String, Double> values, String key, String unit) {
        JsonArray out = new JsonArray();
        values.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(TOP)
                .forEach(e -> out.add(new JsonObject().put(key, e.getKey()).put(unit, Math.round(e.getValue()))));
        return out;
    }

    /** Sums a counter by namespace tag and by the other tags (joined with {@code /}). */
    private Map<String, Map<String, Double>> byNamespace(String meter, String namespaceTag, String... keyTags) {
        return byNamespace(meter, namespaceTag, keyTags[0], keyTags.length > 1 ? keyTags[1] : null, c -> true);
    }

    private Map<String, Map<String, Double>> byNamespace(String meter, String namespaceTag, String tag1, String tag2,
                                                         Predicate<Counter> which) {
        String[] keyTags = tag2 == null ? new String[]{tag1} : new String[]{tag1, tag2};
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (Counter c : metrics.find(meter).counters()) {
            String ns = c.getId().getTag(namespaceTag);
            if (ns == null || !which.test(c)) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            for (String t : keyTags) {
                String v = c.getId().getTag(t);
                key.append(key.isEmpty() ? "" : "/").append(v == null ? "" : v);
            }
            out.computeIfAbsent(ns, k -> new LinkedHashMap<>()).merge(key.toString(), c.count(), Double::sum);
        }
        return out;
    }
}
