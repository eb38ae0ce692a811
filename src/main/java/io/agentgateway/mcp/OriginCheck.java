package io.agentgateway.mcp;

import io.agentgateway.config.McpConfig;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection for the MCP listener (MCP transports: servers MUST validate
 * {@code Origin}). A request is refused with 403 when
 * <ul>
 * <li>its {@code Host} (HTTP/2 {@code :authority}) is not an allowed host: one of
 *     {@code mcp.allowed_hosts} when set, else, on a listener bound to a loopback address, only
 *     {@code localhost}, {@code 127.0.0.1} and {@code [::1]} (any port), else any host; or</li>
 * <li>it carries an {@code Origin} that is neither in {@code mcp.allowed_origins} nor the request's
 *     own origin (same host and port as {@code Host}). Requests without {@code Origin} (every
 *     non-browser client) pass this part.</li>
 * </ul>
 * A page on a rebinding domain reaches the gateway with its own name in {@code Host}, so it fails
 * the first rule; a page on any other site sends its own {@code Origin}, so it fails the second.
 *
 * <p>Immutable and thread-safe; compiled once per config.
 */
final class OriginCheck {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final List<String> hosts;
    private final List<String> origins;
    private final boolean anyOrigin;

    private OriginCheck(List<String> hosts, List<String> origins) {
        this.hosts = hosts;
        this.origins = origins.stream().filter(o -> !o.equals("*")).map(o -> o.toLowerCase(Locale.ROOT)).toList();
        this.anyOrigin = origins.contains("*");
    }

    static OriginCheck of(McpConfig config) {
        return new OriginCheck(config.allowedHosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toList(), config.allowedOrigins());
    }

    /** Null when the request may proceed, else the 403 to answer. */
    GatewayError refusal(HttpServerRequest request, String listenerAddress) {
        HostAndPort authority = request.authority();
        String host = authority == null ? null : hostName(authority.host());
        if (host == null || !hostAllowed(host, listenerAddress)) {
            String shown = authority == null ? "(none)" : sanitize(authority.toString());
            return forbidden("host_not_allowed", "Forbidden: Host " + shown + " is not allowed on this MCP listener ("
                    + (hosts.isEmpty() ? "a listener on a loopback address accepts only localhost, 127.0.0.1 and [::1]; "
                    + "set mcp.allowed_hosts to accept others" : "mcp.allowed_hosts") + ")");
        }
        String origin = request.getHeader("origin");
        if (origin == null || anyOrigin) {
            return null;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (origins.contains(o) || sameOrigin(o, authority)) {
            return null;
        }
        return forbidden("origin_not_allowed", "Forbidden: Origin " + sanitize(origin)
                + " is not allowed on this MCP listener (only the listener's own origin and mcp.allowed_origins)");
    }

    private boolean hostAllowed(String host, String listenerAddress) {
        if (hosts.isEmpty()) {
            return !loopback(listenerAddress) || LOOPBACK_NAMES.contains(host);
        }
        for (String h : hosts) {
            if (h.equals("*") || h.equals(host) || h.startsWith("*.") && host.endsWith(h.substring(1))) {
                return true;
            }
        }
        return false;
    }

    /** The Origin names the same scheme-less host and port the request was sent to. */
    private static boolean sameOrigin(String origin, HostAndPort authority) {
        int scheme = origin.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String rest = origin.substring(scheme + 3);
        boolean https = origin.startsWith("https://");
        int defaultPort = https ? 443 : 80;
        String host;
        int port;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf(']') && colon >= 0) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        } else {
            host = rest;
            port = defaultPort;
        }
        int authorityPort = authority.port() < 0 ? defaultPort : authority.port();
        return hostName(host).equals(hostName(authority.host())) && port == authorityPort;
    }

    static boolean loopback(String address) {
        String a = address == null ? "" : address.toLowerCase(Locale.ROOT);
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("[::1]");
    }

    private static String hostName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        // IPv6 literals are compared in brackets, whether the client sent them so or not.
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    private static String sanitize(String s) {
        String clean = s.replaceAll("[^\\x21-\\x7e]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    private static GatewayError forbidden(String code, String message) {
        return new GatewayError(ErrorKind.FORBIDDEN, 403, code, message, null, null);
    }
}
