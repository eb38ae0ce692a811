package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.http.HttpServerRequest;

/**
 * The A2A protocol version a caller asked for with the {@code A2A-Version} service parameter
 * (A2A 1.0: {@code MAJOR.MINOR}; a caller that sends none speaks 0.3). The gateway passes it on
 * to the agent, fetches and caches cards per version, and picks the agent's interface of that
 * version. Only a plain version number is accepted, so the value can key a cache and go into a
 * header without further checks.
 *
 * <p>Stateless and thread-safe.
 */
final class A2aVersion {
    static final String HEADER = "a2a-version";
    private static final int MAX_LENGTH = 16;

    private A2aVersion() {
    }

    /**
     * The caller's version, or null when it sent none (or an empty one).
     *
     * @throws GatewayError 400 when the header is not a version number
     */
    static String of(HttpServerRequest request) {
        String v = request.getHeader(HEADER);
        if (v == null || v.isBlank()) {
            return null;
        }
        v = v.trim();
        if (!valid(v)) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_a2a_version", "A2A-Version \""
                    + (v.length() > MAX_LENGTH ? v.substring(0, MAX_LENGTH) + "..." : v.replaceAll("[^\\x20-\\x7e]", "?"))
                    + "\" is not a protocol version; send MAJOR.MINOR, such as 1.0", null, null);
        }
        return v;
    }

    /** {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH}, digits only, short. */
    static boolean valid(String v) {
        if (v.isEmpty() || v.length() > MAX_LENGTH) {
            return false;
        }
        int dots = 0;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && digit && dots < 2) {
                dots++;
                digit = false;
            } else {
                return false;
            }
        }
        return digit && dots >= 1;
    }

    /**
     * Whether an interface's {@code protocolVersion} serves a caller of {@code version}: the same
     * major and minor ({@code 1.0} serves {@code 1.0.2}; {@code 0.3.0} serves a caller that sent none).
     */
    static boolean serves(String interfaceVersion, String version) {
        String wanted = majorMinor(version == null ? "0.3" : version);
        return interfaceVersion != null && wanted.equals(majorMinor(interfaceVersion.trim()));
    }

    private static String majorMinor(String v) {
        int first = v.indexOf('.');
        int second = first < 0 ? -1 : v.indexOf('.', first + 1);
        return second < 0 ? v : v.substring(0, second);
    }
}
