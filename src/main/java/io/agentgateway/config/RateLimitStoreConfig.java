package io.agentgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where budget counters live: in this process, or in Redis shared by every replica. Redis is one
 * server ({@code url}), a Sentinel-managed master ({@code sentinel}) or a Redis Cluster
 * ({@code cluster}), per {@code mode}; with {@code rediss://} addresses and optionally {@code tls}
 * for the CA and a client certificate, and an ACL {@code username} with the password from a
 * secret. Immutable; {@code equals} decides whether a reload keeps the store.
 */
public record RateLimitStoreConfig(
        StoreType type,
        String url,
        String passwordSecret,
        String passwordSecretKey,
        FailureMode failureMode,
        String keyPrefix,
        Duration timeout,
        Mode mode,
        Sentinel sentinel,
        Cluster cluster,
        String username,
        Tls tls) {

    public enum StoreType { MEMORY, REDIS }

    public enum FailureMode { FAIL_OPEN, FAIL_CLOSED }

    /** How Redis is deployed. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    /** A master found through Sentinel: its name and the sentinels' addresses. */
    public record Sentinel(@Required String masterName, @Required List<String> nodes) {
        public Sentinel {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /** A Redis Cluster: some of its nodes, from which the rest are discovered. */
    public record Cluster(@Required List<String> nodes) {
        public Cluster {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /**
     * TLS to Redis (used with {@code rediss://} addresses): a CA to trust instead of the JVM's,
     * a client certificate when Redis asks for one, and whether the server's name is checked.
     */
    public record Tls(String caFile, String certFile, String keyFile, Boolean verifyHostname) {
        public Tls {
            verifyHostname = verifyHostname == null ? Boolean.TRUE : verifyHostname;
        }

        Tls resolvedAgainst(Path baseDir) {
            return new Tls(resolve(baseDir, caFile), resolve(baseDir, certFile), resolve(baseDir, keyFile), verifyHostname);
        }

        private static String resolve(Path baseDir, String file) {
            return file == null || baseDir == null ? file : baseDir.resolve(file).toString();
        }
    }

    public static final RateLimitStoreConfig MEMORY = new RateLimitStoreConfig(null, null, null, null, null, null, null,
            null, null, null, null, null);

    public RateLimitStoreConfig {
        type = type == null ? StoreType.MEMORY : type;
        passwordSecretKey = passwordSecretKey == null ? "password" : passwordSecretKey;
        failureMode = failureMode == null ? FailureMode.FAIL_OPEN : failureMode;
        keyPrefix = keyPrefix == null ? "agentgateway:" : keyPrefix;
        timeout = timeout == null ? Duration.ofMillis(500) : timeout;
        mode = mode == null ? Mode.STANDALONE : mode;
    }

    /** The addresses the client starts from: the URL, the sentinels or the cluster's seed nodes. */
    public List<String> addresses() {
        return switch (mode) {
            case STANDALONE -> url == null ? List.of() : List.of(url);
            case SENTINEL -> sentinel == null ? List.of() : sentinel.nodes();
            case CLUSTER -> cluster == null ? List.of() : cluster.nodes();
        };
    }

    /** The same store with the TLS file paths made absolute (relative ones are relative to the config file). */
    public RateLimitStoreConfig resolvedAgainst(Path baseDir) {
        if (tls == null) {
            return this;
        }
        return new RateLimitStoreConfig(type, url, passwordSecret, passwordSecretKey, failureMode, keyPrefix, timeout,
                mode, sentinel, cluster, username, tls.resolvedAgainst(baseDir));
    }
}
