package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which agents the A2A listener reaches, and where: the agents listed in {@code a2a.agents}, then
 * the {@code a2a.default_url} convention for the others. The namespace and name from the request
 * path are checked as DNS-1123 labels before any URL is built, so the gateway only ever connects
 * to an address the configuration chose (never an open proxy).
 *
 * <p>Immutable and thread-safe.
 */
final class AgentRegistry {
    private final Map<String, AgentEndpoint> listed;
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
        AgentEndpoint agent = listed.get(namespace + "/" + name);
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
        return convention.fill(namespace, name, Map.of());
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
