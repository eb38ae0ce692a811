package io.agentgateway.core;

/**
 * Tokens a call consumed, normalised across providers. {@code estimated} is true when the
 * provider did not report usage and the gateway counted it itself (a stream cut short).
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens, long cachedInputTokens, boolean estimated) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, false);

    public static Usage of(long input, long output) {
        return new Usage(input, output, input + output, 0, false);
    }
}
