package io.agentgateway.policy;

/**
 * A {@code when:} condition that could not be evaluated for one request. The message is safe to
 * log: it names the failure kind and, for a missing key, the key, never a request value.
 */
final class ConditionFailedException extends Exception {
    ConditionFailedException(String message) {
        super(message, null, false, false);
    }
}
