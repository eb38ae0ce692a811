package io.agentgateway.console;

import io.agentgateway.config.A2aAgentConfig;
import io.agentgateway.config.A2aRuleConfig;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.McpServerConfig;
import io.agentgateway.config.PolicyConfig;
import io.agentgateway.config.PrincipalSelector;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.policy.PrincipalMatcher;
import io.agentgateway.policy.Resource;
import io.agentgateway.runtime.GatewayRuntime;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the running config allows, decided by the running {@link PolicyCheck} rather than
 * re-derived: {@code GET /api/permissions} (per namespace, the policies that can apply to it and
 * the decision for each model, MCP tool and agent the config names) and {@code GET /api/a2a} (the
 * A2A rules as a source x target namespace matrix). Decisions are for a caller of the namespace
 * without a service account; policies limited to service accounts are listed with that limit.
 */
final class ConfiguredView {
    /** Stands for "a tool no policy names" or "any agent" where the config names none. */
    static final String ANY = "*";

    private final GatewayRuntime runtime;
    private final GatewayConfig config;

    ConfiguredView(GatewayRuntime runtime) {
        this.runtime = runtime;
        this.config = runtime.config();
    }

    JsonObject permissions() {
        List<Resource> resources = resources();
        JsonArray out = new JsonArray();
        for (String ns : new TreeSet<>(runtime.namespaces())) {
            JsonArray policies = new JsonArray();
            for (PolicyConfig p : config.authorization().policies()) {
                PrincipalSelector who = p.match() == null ? null : p.match().kubernetes();
                if (PrincipalMatcher.of(who).admitsNamespace(ns)) {
                    policies.add(new JsonObject().put("name", p.name()).put("action", p.action().name().toLowerCase(java.util.Locale.ROOT))
                            .put("resources", new JsonArray(p.resources()))
                            .put("service_account", who == null ? null : who.serviceAccount())
                            .put("when", p.when()));
                }
            }
            JsonArray decisions = new JsonArray();
            Principal caller = new Principal(ns, null, "", "kubernetes", Map.of());
            for (Resource r : resources) {
                PolicyCheck.Explanation e = runtime.policyCheck().explain(caller, r,
                        PolicyCheck.facts(r, "POST", null, MultiMap.caseInsensitiveMultiMap()));
                decisions.add(new JsonObject().put("resource", r.id()).put("kind", kind(r))
                        .put("decision", e.allowed() ? "allow" : "deny").put("by", e.decisive().policy()));
            }
            out.add(new JsonObject().put("namespace", ns).put("policies", policies).put("resources", decisions));
        }
        return new JsonObject().put("default_action", config.authorization().effectiveDefault().name().toLowerCase(java.util.Locale.ROOT))
                .put("namespaces", out);
    }

    /** Every model, tool and agent the config names concretely, plus "other tools" of each MCP server. */
    private List<Resource> resources() {
        Set<String> models = new TreeSet<>();
        config.llm().models().forEach(m -> models.add(m.name()));
        config.llm().providers().forEach(p -> models.addAll(p.models()));
        List<Resource> out = new ArrayList<>();
        models.stream().filter(m -> m.indexOf('*') < 0).forEach(m -> out.add(new Resource.Model(m)));
        Set<String> tools = new LinkedHashSet<>();
        for (McpServerConfig s : config.mcp().servers()) {
            for (PolicyConfig p : config.authorization().policies()) {
                for (String r : p.resources()) {
                    String prefix = "mcp:" + s.name() + "/";
                    if (r.startsWith(prefix) && r.indexOf('*') < 0 && r.length() > prefix.length()) {
                        tools.add(r);
                    }
                }
            }
            tools.add("mcp:" + s.name() + "/" + ANY);
        }
        tools.forEach(t -> out.add(new Resource.McpTool(t.substring(4, t.indexOf('/')), t.substring(t.indexOf('/') + 1))));
        for (A2aAgentConfig a : config.a2a().agents()) {
            out.add(new Resource.Agent(a.namespace(), a.name()));
        }
        return out;
    }

    private static String kind(Resource r) {
        return switch (r) {
            case Resource.Model m -> "model";
            case Resource.McpTool t -> "tool";
            case Resource.Agent a -> "agent";
            case Resource.None n -> "none";
        };
    }

    /** Sources are the config's namespaces; targets the namespaces of configured agents and of rule targets. */
    JsonObject a2aMatrix() {
        Set<String> sources = new TreeSet<>(runtime.namespaces());
        Set<String> targets = new TreeSet<>();
        config.a2a().agents().forEach(a -> targets.add(a.namespace()));
        for (A2aRuleConfig r : config.a2a().authorization()) {
            if (r.target().namespace() != null) {
                targets.add(r.target().namespace());
            }
            targets.addAll(r.target().namespaces());
        }
        JsonArray rows = new JsonArray();
        for (String source : sources) {
            Principal caller = new Principal(source, null, "", "kubernetes", Map.of());
            JsonArray cells = new JsonArray();
            for (String target : targets) {
                List<String> agents = config.a2a().agents().stream().filter(a -> a.namespace().equals(target))
                        .map(A2aAgentConfig::name).toList();
                JsonArray verdicts = new JsonArray();
                Set<String> distinct = new LinkedHashSet<>();
                for (String name : agents.isEmpty() ? List.of(ANY) : agents) {
                    Resource.Agent agent = new Resource.Agent(target, name);
                    var d = runtime.policyCheck().explain(caller, agent,
                            PolicyCheck.facts(agent, "POST", null, MultiMap.caseInsensitiveMultiMap())).rule();
                    verdicts.add(new JsonObject().put("agent", name).put("decision", d.verdict()).put("rule", d.policy()));
                    distinct.add(d.verdict() + " " + d.policy());
                }
                JsonObject first = verdicts.getJsonObject(0);
                cells.add(new JsonObject().put("target", target)
                        .put("decision", distinct.size() == 1 ? first.getString("decision") : "mixed")
                        .put("rule", distinct.size() == 1 ? first.getString("rule") : null)
                        .put("agents", verdicts));
            }
            rows.add(new JsonObject().put("source", source).put("cells", cells));
        }
        return new JsonObject().put("targets", new JsonArray(new ArrayList<>(targets))).put("rows", rows)
                .put("rules", config.a2a().authorization().size());
    }
}
