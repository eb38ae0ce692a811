package io.agentgateway.policy;

import io.vertx.core.MultiMap;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code request.headers} for a condition: a read-only view of the request's headers keyed by
 * lower-case name, a header sent several times joined with {@code ", "} (RFC 9110 §5.3). A lookup
 * ({@code request.headers["x-env"]}, {@code "x-env" in request.headers}) reads the request's
 * headers directly; only iterating builds a copy.
 *
 * <p>Credentials are not policy inputs (identity is {@code principal.*}): {@code authorization},
 * {@code proxy-authorization} and {@code cookie} are left out, so no condition, and no evaluation
 * error message, can carry them.
 *
 * <p>Valid only during the decision it was made for; not thread-safe.
 */
final class HeaderView extends AbstractMap<String, String> {
    private static final Set<String> HIDDEN = Set.of("authorization", "proxy-authorization", "cookie");

    private final MultiMap headers;
    private Set<Entry<String, String>> entries;

    HeaderView(MultiMap headers) {
        this.headers = headers;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String name) || !visible(name)) {
            return null;
        }
        List<String> values = headers.getAll(name);
        return switch (values.size()) {
            case 0 -> null;
            case 1 -> values.get(0);
            default -> String.join(", ", values);
        };
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && visible(name) && headers.contains(name);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        if (entries == null) {
            Map<String, String> copy = new LinkedHashMap<>();
            for (String name : headers.names()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!HIDDEN.contains(lower)) {
                    copy.putIfAbsent(lower, get(lower));
                }
            }
            entries = Collections.unmodifiableMap(copy).entrySet();
        }
        return entries;
    }

    /** Names are lower-case by contract; {@code "X-Env"} is not a key, as it would not be when iterating. */
    private static boolean visible(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return false;
            }
        }
        return !HIDDEN.contains(name);
    }
}
