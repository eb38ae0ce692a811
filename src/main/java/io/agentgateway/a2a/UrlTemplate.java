package io.agentgateway.a2a;

import io.agentgateway.config.Secret;
import io.agentgateway.policy.Resource;

import java.util.Map;

/**
 * {@code a2a.default_url} compiled: the URL of an agent that is not listed, with {@code {name}} and
 * {@code {namespace}} filled in. Only DNS-1123 labels are ever substituted (the registry checks
 * them first), so a caller cannot add a dot, a slash, a port or credentials to the URL.
 *
 * <p>One hole remains when a placeholder is the last label of the host, as in the Kagent
 * convention {@code http://{name}.{namespace}:8080}: inside a cluster the short name resolves
 * through the DNS search path, but a namespace that does not exist falls through to public DNS,
 * so {@code /com/evil} would reach {@code http://evil.com:8080}. {@link #callerChoosesTopLabel()}
 * tells the registry to accept only namespaces the configuration names; a template whose host
 * ends in {@code {name}} is refused at compile time.
 *
 * <p>Immutable and thread-safe.
 */
final class UrlTemplate {
    private final boolean ssl;
    private final String host;
    private final int port;
    private final String path;
    private final boolean callerChoosesTopLabel;

    private UrlTemplate(boolean ssl, String host, int port, String path, boolean callerChoosesTopLabel) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
        this.path = path;
        this.callerChoosesTopLabel = callerChoosesTopLabel;
    }

    /**
     * @param template a template the config validator accepted (http(s), only the two placeholders)
     * @throws IllegalArgumentException with a message for the config error when the template is unsafe
     */
    static UrlTemplate compile(String template) {
        int schemeEnd = template.indexOf("://");
        String scheme = template.substring(0, schemeEnd);
        boolean ssl = scheme.equalsIgnoreCase("https");
        String rest = template.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (authority.contains("@")) {
            throw new IllegalArgumentException("must not carry credentials; send them with a2a.agents[].headers");
        }
        String host = authority;
        int port = ssl ? 443 : 80;
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) {
            String p = authority.substring(colon + 1);
            if (p.contains("{")) {
                throw new IllegalArgumentException("may not put a placeholder in the port");
            }
            port = Integer.parseInt(p);
            host = authority.substring(0, colon);
        }
        String topLabel = host.substring(host.lastIndexOf('.') + 1);
        if (topLabel.contains("{name}")) {
            throw new IllegalArgumentException("may not end its host with {name}: a caller could name a public domain");
        }
        return new UrlTemplate(ssl, host, port, path, topLabel.contains("{namespace}"));
    }

    /** True when the namespace fills the host's last label, so it must be one the config knows. */
    boolean callerChoosesTopLabel() {
        return callerChoosesTopLabel;
    }

    AgentEndpoint fill(String namespace, String name, Map<String, Secret> headers) {
        return new AgentEndpoint(new Resource.Agent(namespace, name), ssl,
                substitute(host, namespace, name), port, substitute(path, namespace, name), headers);
    }

    private static String substitute(String s, String namespace, String name) {
        return s.indexOf('{') < 0 ? s : s.replace("{namespace}", namespace).replace("{name}", name);
    }
}
