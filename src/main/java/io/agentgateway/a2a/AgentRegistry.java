package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which agents the A2A listener reaches, and where: the agents listed in {@code a2a.agents}, then
 * the {@code a2a.default_url} convention for the others. The namespace and name from the request
 * path are checked as DNS-1123 labels before any URL is built, so the gateway only ever connects
 * to an address the configuration chose (never an open proxy).
 *
 * <p>Immutable and thread-safe. A lookup allocates nothing: listed agents are found by namespace,
 * then name (no {@code NAMESPACE/NAME} key built per call), and the endpoints the convention builds
 * are kept, up to {@link #MAX_FILLED}, and reused (past that they are built per call).
 */
final class AgentRegistry {
    /** Convention endpoints kept: agents are a few hundred at most; a flood of made-up names is not kept. */
    static final int MAX_FILLED = 4096;

    private final Map<String, AgentEndpoint> listed;
    private final Map<String, Map<String, AgentEndpoint>> byNamespace;
    private final Map<String, Map<String, AgentEndpoint>> filled = new ConcurrentHashMap<>();
    private final AtomicInteger filledCount = new AtomicInteger();
    private final UrlTemplate convention;
    private final Set<String> knownNamespaces;

    /**
     * @param listed          listed agents by {@code NAMESPACE/NAME}
     * @param convention      the template for other agents, or null when it is turned off
     * @param knownNamespaces the namespaces the configuration names, the only ones the convention
     *                        serves when the namespace is the last label of its host
     */
    AgentRegistry(Map<String, AgentEndpoint> listed, UrlTemplate convention, Set<String> knownNamespaces) {
        this.listed = Map.copyOf(listed);
        Map<String, Map<String, AgentEndpoint>> nested = new HashMap<>();
        listed.forEach((id, agent) -> {
            int slash = id.indexOf('/');
            nested.computeIfAbsent(id.substring(0, slash), k -> new HashMap<>()).put(id.substring(slash + 1), agent);
        });
        Map<String, Map<String, AgentEndpoint>> frozen = new HashMap<>();
        nested.forEach((namespace, agents) -> frozen.put(namespace, Map.copyOf(agents)));
        this.byNamespace = Map.copyOf(frozen);
        this.convention = convention;
        this.knownNamespaces = Set.copyOf(knownNamespaces);
    }

    /** This registry with {@code more} listed agents besides (by {@code NAMESPACE/NAME}). */
    AgentRegistry with(Map<String, AgentEndpoint> more) {
        Map<String, AgentEndpoint> all = new HashMap<>(listed);
        all.putAll(more);
        return new AgentRegistry(all, convention, knownNamespaces);
    }

    /**
     * The endpoint of {@code namespace/name}.
     *
     * @throws GatewayError 400 when a part is not a DNS-1123 label, 404 when no such agent is reachable
     */
    AgentEndpoint resolve(String namespace, String name) {
        checkLabel("namespace", namespace);
        checkLabel("agent name", name);
        Map<String, AgentEndpoint> inNamespace = byNamespace.get(namespace);
        AgentEndpoint agent = inNamespace == null ? null : inNamespace.get(name);
        if (agent != null) {
            return agent;
        }
        if (convention == null) {
            throw notFound(namespace, name, "it is not listed in a2a.agents (and a2a.default_url is off)");
        }
        if (convention.callerChoosesTopLabel() && !knownNamespaces.contains(namespace)) {
            throw notFound(namespace, name, "it is not listed in a2a.agents and namespace \"" + namespace
                    + "\" is not one the gateway's configuration names");
        }
        Map<String, AgentEndpoint> known = filled.get(namespace);
        agent = known == null ? null : known.get(name);
        if (agent != null) {
            return agent;
        }
        agent = convention.fill(namespace, name, Map.of());
        if (filledCount.get() < MAX_FILLED) {
            AgentEndpoint raced = filled.computeIfAbsent(namespace, k -> new ConcurrentHashMap<>()).putIfAbsent(name, agent);
            if (raced != null) {
                return raced;
            }
            filledCount.incrementAndGet();
        }
        return agent;
    }

    /** A Kubernetes object name part as DNS-1123 labels allow: a-z, 0-9 and '-', at most 63, alphanumeric at both ends. */
    static boolean isDnsLabel(String s) {
        int n = s.length();
        if (n == 0 || n > 63 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static void checkLabel(String what, String value) {
        if (!isDnsLabel(value)) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_agent",
                    "\"" + shown(value) + "\" is not a valid " + what + ": the path is /NAMESPACE/AGENT, each a"
                            + " DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)", null, null);
        }
    }

    private static GatewayError notFound(String namespace, String name, String why) {
        return new GatewayError(ErrorKind.NOT_FOUND, 404, "agent_not_found",
                "no agent " + namespace + "/" + name + ": " + why, null, null);
    }

    /** A path segment as an error may echo it: bounded, and only printable ASCII. */
    private static String shown(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' ? c : '?');
        }
        return s.length() > 64 ? out + "..." : out.toString();
    }
}
