package io.agentgateway.server;

/**
 * A typed key for one fact an exchange records for metrics, spans and audit: its name (the
 * attribute name spans and audit events show it under, semantic-convention where one exists),
 * the type of its value, and the protocol whose exchanges record it (null: every protocol).
 * Written and read with {@link Exchange#fact}, so the compiler checks the value's type at both
 * ends and no reader depends on a string literal. The keys are declared once, in {@link Facts}.
 * Immutable.
 */
public record Fact<T>(String name, Class<T> type, Protocol protocol) {
    public Fact {
        if (name == null || name.isEmpty() || type == null) {
            throw new IllegalArgumentException("a fact needs a name and a type");
        }
    }

    static <T> Fact<T> of(Protocol protocol, String name, Class<T> type) {
        return new Fact<>(name, type, protocol);
    }

    static <T> Fact<T> common(String name, Class<T> type) {
        return new Fact<>(name, type, null);
    }
}
