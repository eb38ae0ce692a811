package io.agentgateway.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of {@code rate_limit_store} that the binder cannot make: which keys each
 * {@code mode} needs and which it does not use, well-formed {@code redis://} / {@code rediss://}
 * addresses that agree on TLS, readable TLS files. Errors name the key path; addresses are shown
 * with any user info masked. One instance per validation; not thread-safe.
 */
final class StoreValidator {
    private static final String AT = "rate_limit_store";

    private final Path baseDir;
    private final List<ConfigError> errors = new ArrayList<>();

    StoreValidator(Path baseDir) {
        this.baseDir = baseDir;
    }

    List<ConfigError> validate(RateLimitStoreConfig s) {
        if (s.type() == RateLimitStoreConfig.StoreType.REDIS) {
            redis(s);
        }
        if (s.timeout().isNegative() || s.timeout().isZero()) {
            error(AT + ".timeout", "must be longer than 0");
        }
        return errors;
    }

    private void redis(RateLimitStoreConfig s) {
        String mode = s.mode().name().toLowerCase(java.util.Locale.ROOT);
        if (s.mode() != RateLimitStoreConfig.Mode.STANDALONE && s.url() != null) {
            error(AT + ".url", "is for mode standalone; with mode " + mode + " list the addresses in "
                    + AT + "." + mode + ".nodes");
        }
        if (s.mode() != RateLimitStoreConfig.Mode.SENTINEL && s.sentinel() != null) {
            error(AT + ".sentinel", "is only used with mode sentinel (mode is " + mode + ")");
        }
        if (s.mode() != RateLimitStoreConfig.Mode.CLUSTER && s.cluster() != null) {
            error(AT + ".cluster", "is only used with mode cluster (mode is " + mode + ")");
        }
        List<String> addresses = s.addresses();
        String nodesAt = switch (s.mode()) {
            case STANDALONE -> AT + ".url";
            case SENTINEL -> AT + ".sentinel.nodes";
            case CLUSTER -> AT + ".cluster.nodes";
        };
        switch (s.mode()) {
            case STANDALONE -> {
                if (s.url() == null) {
                    error(AT + ".url", "is required for type redis");
                }
            }
            case SENTINEL -> {
                if (s.sentinel() == null) {
                    error(AT + ".sentinel", "is required for mode sentinel (master_name and nodes)");
                } else if (s.sentinel().masterName().isBlank()) {
                    error(AT + ".sentinel.master_name", "must not be empty");
                }
            }
            case CLUSTER -> {
                if (s.cluster() == null) {
                    error(AT + ".cluster", "is required for mode cluster (nodes)");
                }
            }
        }
        if (s.mode() != RateLimitStoreConfig.Mode.STANDALONE && addresses.isEmpty()
                && (s.sentinel() != null || s.cluster() != null)) {
            error(nodesAt, "needs at least one address");
        }
        Boolean tls = null;
        for (int i = 0; i < addresses.size(); i++) {
            String at = s.mode() == RateLimitStoreConfig.Mode.STANDALONE ? nodesAt : nodesAt + "[" + i + "]";
            Boolean secure = address(at, addresses.get(i), s.mode());
            if (secure != null && tls != null && !secure.equals(tls)) {
                error(at, "\"" + ConfigValidator.shown(addresses.get(i)) + "\" mixes redis:// and rediss://; "
                        + "all addresses must use the same one");
            }
            tls = tls == null ? secure : tls;
        }
        if (s.username() != null && s.username().isBlank()) {
            error(AT + ".username", "must not be empty");
        }
        if (s.tls() != null) {
            if (Boolean.FALSE.equals(tls)) {
                error(AT + ".tls", "is set but the Redis addresses use redis://; use rediss:// to connect with TLS");
            }
            file(AT + ".tls.ca_file", s.tls().caFile());
            file(AT + ".tls.cert_file", s.tls().certFile());
            file(AT + ".tls.key_file", s.tls().keyFile());
            if ((s.tls().certFile() == null) != (s.tls().keyFile() == null)) {
                error(AT + ".tls", "cert_file and key_file go together (a client certificate and its key)");
            }
        }
    }

    /** Checks one address; returns whether it uses TLS, or null when it is not an address at all. */
    private Boolean address(String at, String address, RateLimitStoreConfig.Mode mode) {
        boolean secure = address.startsWith("rediss://");
        if (!secure && !address.startsWith("redis://")) {
            error(at, "\"" + ConfigValidator.shown(address) + "\" must start with redis:// or rediss://");
            return null;
        }
        try {
            URI u = URI.create(address);
            if (u.getHost() == null) {
                error(at, "\"" + ConfigValidator.shown(address) + "\" has no host");
                return null;
            }
            String db = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
            if (mode == RateLimitStoreConfig.Mode.CLUSTER && !db.isEmpty() && !db.equals("0")) {
                error(at, "\"" + ConfigValidator.shown(address) + "\" selects database " + db
                        + "; Redis Cluster has only database 0");
            }
        } catch (IllegalArgumentException e) {
            error(at, "\"" + ConfigValidator.shown(address) + "\" is not a URL");
            return null;
        }
        return secure;
    }

    private void file(String at, String path) {
        if (path == null) {
            return;
        }
        String problem = ConfigValidator.unreadable(baseDir, path);
        if (problem != null) {
            error(at, problem);
        }
    }

    private void error(String path, String message) {
        errors.add(new ConfigError(path, message));
    }
}
