package io.agentgateway.budget;

import java.time.Duration;

/** A reservation that does not fit a budget: answered 429 with {@code Retry-After}. */
public final class BudgetExceededException extends RuntimeException {
    private final String rule;
    private final Duration retryAfter;
    private final transient io.vertx.core.MultiMap headers;

    public BudgetExceededException(String rule, String message, Duration retryAfter, io.vertx.core.MultiMap headers) {
        super(message, null, false, false);
        this.rule = rule;
        this.retryAfter = retryAfter;
        this.headers = headers;
    }

    public String rule() {
        return rule;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** The {@code x-ratelimit-*} headers to send with the 429. */
    public io.vertx.core.MultiMap headers() {
        return headers;
    }
}
