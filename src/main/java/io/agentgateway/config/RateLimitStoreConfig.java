package io.agentgateway.config;

import java.time.Duration;

/** Where budget counters live: in this process, or in Redis shared by every replica. */
public record RateLimitStoreConfig(
        StoreType type,
        String url,
        String passwordSecret,
        String passwordSecretKey,
        FailureMode failureMode,
        String keyPrefix,
        Duration timeout) {

    public enum StoreType { MEMORY, REDIS }

    public enum FailureMode { FAIL_OPEN, FAIL_CLOSED }

    public static final RateLimitStoreConfig MEMORY = new RateLimitStoreConfig(null, null, null, null, null, null, null);

    public RateLimitStoreConfig {
        type = type == null ? StoreType.MEMORY : type;
        passwordSecretKey = passwordSecretKey == null ? "password" : passwordSecretKey;
        failureMode = failureMode == null ? FailureMode.FAIL_OPEN : failureMode;
        keyPrefix = keyPrefix == null ? "agentgateway:" : keyPrefix;
        timeout = timeout == null ? Duration.ofMillis(500) : timeout;
    }
}
