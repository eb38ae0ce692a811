package io.agentgateway.console;

import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.policy.Resource;
import io.agentgateway.runtime.GatewayRuntime;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * {@code GET /api/check?namespace=NS[&service_account=SA]&resource=R[&header=NAME:VALUE...]}: the
 * "Why?" simulator. Asks the running config's {@link PolicyCheck}, the one requests are decided
 * by and the one {@code agentgateway check} uses, and answers the decision, the policy or A2A rule
 * that made it, and the refusal message a caller would get.
 */
final class Simulator {
    private Simulator() {
    }

    static void answer(GatewayRuntime runtime, RoutingContext rc) {
        String namespace = param(rc, "namespace");
        String serviceAccount = param(rc, "service_account");
        String resource = param(rc, "resource");
        if (namespace == null || resource == null) {
            badRequest(rc, "namespace and resource are required (resource: model:NAME, mcp:SERVER/TOOL or agent:NAMESPACE/NAME)");
            return;
        }
        Resource target;
        try {
            target = Resource.parse(resource);
        } catch (IllegalArgumentException e) {
            badRequest(rc, "resource " + e.getMessage());
            return;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (String h : rc.queryParam("header")) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                badRequest(rc, "header must be NAME:VALUE, got \"" + h + "\"");
                return;
            }
            headers.add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        Principal caller = serviceAccount != null
                ? Principal.serviceAccount(namespace, serviceAccount, "kubernetes", Map.of())
                : new Principal(namespace, null, "", "kubernetes", Map.of());
        PolicyCheck.Explanation e = runtime.policyCheck().explain(caller, target, PolicyCheck.facts(target, "POST", null, headers));
        Decision decisive = e.decisive();
        boolean byRule = e.rule() != null && decisive == e.rule();
        Console.json(rc, new JsonObject()
                .put("resource", target.id())
                .put("namespace", namespace)
                .put("service_account", serviceAccount)
                .put("decision", e.allowed() ? "allow" : "deny")
                .put("decided_by", new JsonObject().put("kind", byRule ? "a2a rule" : "policy").put("name", decisive.policy()))
                .put("authorization", decision(e.policy()))
                .put("a2a", e.rule() == null ? null : decision(e.rule()))
                .put("refusal", e.refusal()));
    }

    private static JsonObject decision(Decision d) {
        return new JsonObject().put("decision", d.verdict()).put("name", d.policy()).put("reason", d.reason());
    }

    private static String param(RoutingContext rc, String name) {
        String v = rc.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static void badRequest(RoutingContext rc, String message) {
        rc.response().setStatusCode(400).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("message", message)).encode());
    }
}
