package io.agentgateway.a2a;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;

import java.util.Locale;

/**
 * The gateway's address as the caller reached it, written into rewritten agent cards so the next
 * call comes back through the gateway: {@code a2a.public_url} when set; else the request's own
 * scheme and {@code Host}, with {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} honoured
 * only when the peer is one of the listener's {@code trusted_proxies} (anyone else could send
 * them). A host that is not a plain host name or IP literal is ignored, so a card never carries
 * what a caller typed beyond a host and port.
 *
 * <p>Immutable and thread-safe.
 */
final class ExternalAddress {
    private final String publicUrl;

    /** @param publicUrl {@code a2a.public_url}, or null */
    ExternalAddress(String publicUrl) {
        this.publicUrl = publicUrl == null ? null : stripSlash(publicUrl);
    }

    /** The gateway's A2A base URL as this caller reaches it; an agent's URL is {@code BASE/NAMESPACE/NAME}. */
    String base(HttpServerRequest request, CidrSet trustedProxies) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String scheme = request.isSSL() ? "https" : "http";
        String host = null;
        SocketAddress peer = request.remoteAddress();
        if (!trustedProxies.isEmpty() && peer != null && trustedProxies.contains(peer.hostAddress())) {
            String proto = first(request.getHeader("x-forwarded-proto"));
            if ("http".equalsIgnoreCase(proto) || "https".equalsIgnoreCase(proto)) {
                scheme = proto.toLowerCase(Locale.ROOT);
            }
            String forwardedHost = first(request.getHeader("x-forwarded-host"));
            if (forwardedHost != null && isHostAndPort(forwardedHost)) {
                host = forwardedHost;
            }
        }
        if (host == null) {
            HostAndPort authority = request.authority();
            if (authority != null && isHostAndPort(format(authority))) {
                host = format(authority);
            } else {
                SocketAddress local = request.localAddress();
                host = local == null ? "localhost" : format(HostAndPort.create(local.hostAddress(), local.port()));
            }
        }
        return scheme + "://" + host;
    }

    private static String format(HostAndPort hp) {
        String h = hp.host();
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return hp.port() > 0 ? h + ":" + hp.port() : h;
    }

    /** The first of a comma-separated header list (each proxy appends its own), trimmed. */
    private static String first(String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        String v = (comma < 0 ? header : header.substring(0, comma)).trim();
        return v.isEmpty() ? null : v;
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}, nothing else. */
    static boolean isHostAndPort(String s) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        int i = 0;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                return false;
            }
            for (int j = 1; j < close; j++) {
                char c = s.charAt(j);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < s.length() && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == s.length()) {
            return true;
        }
        if (s.charAt(i) != ':' || i + 1 == s.length() || s.length() - i - 1 > 5) {
            return false;
        }
        for (int j = i + 1; j < s.length(); j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
