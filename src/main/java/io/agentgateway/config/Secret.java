package io.agentgateway.config;

import java.util.Objects;

/**
 * A secret value (an API key, a header carrying credentials). Its {@code toString()} is always
 * {@code "****"}, so a secret cannot leak through a log line, an exception message or a rendered
 * config by accident; {@link #reveal()} is the one explicit way to read it.
 *
 * <p>Immutable and thread-safe. Never null inside; an absent secret is a null {@code Secret}
 * reference, not a {@code Secret} with a null value.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The plain value, for the one place that must send it (an upstream header). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
