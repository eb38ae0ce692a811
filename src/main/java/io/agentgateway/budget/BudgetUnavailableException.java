package io.agentgateway.budget;

/** The shared counter store is unreachable and {@code failure_mode: fail_closed}: answered 503. */
public final class BudgetUnavailableException extends RuntimeException {
    public BudgetUnavailableException(String message) {
        super(message, null, false, false);
    }
}
