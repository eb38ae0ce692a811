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
    /** What {@link #reveal(String)} built last; a record, so a reader never sees a scheme without its text. */
    private volatile Rendered rendered;

    private record Rendered(String scheme, String text) {
    }

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

    /**
     * The value with {@code scheme} and a space in front ({@code Bearer ...}), as a credential
     * header carries it. Built once and kept with this Secret (for the last scheme asked for), so
     * a credentialed request neither concatenates nor looks it up in a shared table: a rotated
     * Secret is a new object, and its rendering goes with the old one.
     */
    public String reveal(String scheme) {
        Rendered r = rendered;
        if (r == null || !r.scheme().equals(scheme)) {
            // Racing threads may each build it; they build the same text, and either may stay.
            r = new Rendered(scheme, scheme + " " + value);
            rendered = r;
        }
        return r.text();
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
