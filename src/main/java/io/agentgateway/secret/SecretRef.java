package io.agentgateway.secret;

import io.agentgateway.config.Secret;

/**
 * A named secret ({@code NAME/KEY}) whose current value may change while the gateway runs
 * (a rotated Kubernetes Secret). Reading it never blocks: the value is refreshed in the
 * background by the {@link SecretStore}. Thread-safe.
 */
public final class SecretRef {
    private final String name;
    private final String key;
    private volatile Secret value;
    private volatile String source;

    SecretRef(String name, String key) {
        this.name = name;
        this.key = key;
    }

    public String name() {
        return name;
    }

    public String key() {
        return key;
    }

    /** The current value, or null while the secret cannot be found. */
    public Secret current() {
        return value;
    }

    public boolean resolved() {
        return value != null;
    }

    /** Where the value came from ({@code file}, {@code env}), for readiness and the admin API; never the value. */
    public String source() {
        return source;
    }

    /** @return true when the value changed */
    boolean update(Secret newValue, String newSource) {
        Secret old = value;
        value = newValue;
        source = newSource;
        return old == null ? newValue != null : !old.equals(newValue);
    }

    @Override
    public String toString() {
        return name + "/" + key;
    }
}
