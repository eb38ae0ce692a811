package io.agentgateway.policy;

/**
 * A policy's optional {@code when:} condition, compiled once when the config is loaded. The
 * strategy behind it is CEL ({@link CelCondition}); the engine only needs a yes, a no, or a
 * failure it can apply its fail-closed rule to.
 *
 * <p>Implementations are immutable and thread-safe.
 */
interface Condition {
    /**
     * @return whether the condition holds for this request
     * @throws ConditionFailedException when it cannot be evaluated (a missing map key, a value of
     *                                  the wrong type, a result that is not a bool)
     */
    boolean test(ConditionInput input) throws ConditionFailedException;

    /** The condition as written in the config. */
    String expression();

    /**
     * Compiles a CEL expression over the variables {@link ConditionInput} provides.
     *
     * @throws IllegalArgumentException when it does not compile or cannot return a bool; the
     *                                  message says what is wrong and where in the expression
     */
    static Condition cel(String expression) {
        return CelCondition.compile(expression);
    }
}
