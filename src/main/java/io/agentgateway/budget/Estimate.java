package io.agentgateway.budget;

/**
 * What a request may use, reserved before it is forwarded: input (prompt) and output tokens (the
 * completion cap), and the model whose price a cost budget charges (null when the resource is no
 * model). Immutable.
 */
public record Estimate(long inputTokens, long outputTokens, String model) {
    /** A token estimate that names no model (a request budget's callers, tests). */
    public static Estimate tokens(long tokens) {
        return new Estimate(tokens, 0, null);
    }

    public long totalTokens() {
        return Math.max(0, inputTokens) + Math.max(0, outputTokens);
    }
}
