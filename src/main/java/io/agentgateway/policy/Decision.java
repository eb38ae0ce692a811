package io.agentgateway.policy;

/**
 * An authorization verdict and the policy (or rule, or {@code default}) that made it.
 * {@code reason} is a short human sentence for refusals; it names no secret.
 */
public record Decision(boolean allowed, String policy, String reason) {
    public static final String DEFAULT_POLICY = "default";
    public static final Decision ALLOW_DEFAULT = new Decision(true, DEFAULT_POLICY, "no policy configured");

    public static Decision allow(String policy) {
        return new Decision(true, policy, null);
    }

    public static Decision deny(String policy, String reason) {
        return new Decision(false, policy, reason);
    }

    public String verdict() {
        return allowed ? "allow" : "deny";
    }
}
