package io.agentgateway.config;

/**
 * One problem found in a config file: where ({@code path}, e.g. {@code rate_limiting[1].window})
 * and what ({@code message}, naming the bad value). Rendered as {@code path: message}.
 */
public record ConfigError(String path, String message) {
    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
