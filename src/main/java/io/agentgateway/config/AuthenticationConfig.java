package io.agentgateway.config;

import java.util.List;

/**
 * {@code security.authentication}: either the single-method form (the method's keys beside
 * {@code allowed_namespaces}) or {@code methods: [...]} tried in order. {@link #effectiveMethods()}
 * gives the list either way.
 */
public record AuthenticationConfig(
        List<String> allowedNamespaces,
        @Inline AuthMethodConfig method,
        List<AuthMethodConfig> methods) {

    public static final AuthenticationConfig NONE =
            new AuthenticationConfig(null, new AuthMethodConfig(AuthMethodConfig.Type.NONE, null, null, null, null,
                    null, null, null, null, null, null, null, null, null), null);

    public AuthenticationConfig {
        allowedNamespaces = allowedNamespaces == null ? List.of() : List.copyOf(allowedNamespaces);
        methods = methods == null ? null : List.copyOf(methods);
    }

    public List<AuthMethodConfig> effectiveMethods() {
        if (methods != null) {
            return methods;
        }
        return method == null ? NONE.effectiveMethods() : List.of(method);
    }
}
