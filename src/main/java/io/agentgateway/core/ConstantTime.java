package io.agentgateway.core;

/**
 * Comparison of secrets (API keys, session ids) in a time that depends on their lengths only,
 * never on how many leading characters a guess got right. Stateless; thread-safe.
 */
public final class ConstantTime {
    private ConstantTime() {
    }

    /** Whether {@code a} and {@code b} (neither null) hold the same characters. */
    public static boolean equal(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length(); i++) {
            diff |= a.charAt(i) ^ b.charAt(i);
        }
        return diff == 0;
    }
}
