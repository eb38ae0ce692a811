package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisClusterConnectOptions;
import io.vertx.redis.client.RedisConnectOptions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.RedisSentinelConnectOptions;
import io.vertx.redis.client.RedisStandaloneConnectOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the Vert.x Redis client a {@code rate_limit_store} describes: one server, the master a
 * set of sentinels names (followed across failovers), or a Redis Cluster (commands routed to the
 * node owning their keys' slot, redirections followed; only masters are used, since counters
 * must be read where they are written). TLS comes with {@code rediss://} addresses, trusting
 * {@code tls.ca_file} when given and checking the server's host name unless told not to. The
 * ACL user is {@code username}; the password is read from its secret for every new connection,
 * so a rotated password is picked up without a reload. Stateless.
 */
final class RedisConnector {
    /** Sentinel and cluster topology is re-read this often, so a failover is noticed quickly. */
    private static final long TOPOLOGY_TTL_MILLIS = 1000;

    private RedisConnector() {
    }

    /** Creates the client; nothing connects until the first command. */
    static Redis create(Vertx vertx, RateLimitStoreConfig config, SecretRef password) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.timeout().toMillis()));
        NetClientOptions net = new NetClientOptions().setConnectTimeout(timeout).setTcpNoDelay(true).setTcpKeepAlive(true);
        if (config.addresses().stream().anyMatch(a -> a.startsWith("rediss://"))) {
            tls(net, config.tls());
        }
        RedisOptions options = new RedisOptions()
                .setEndpoints(new ArrayList<>(config.addresses()))
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(net);
        if (config.username() != null) {
            options.setUser(config.username());
        }
        return switch (config.mode()) {
            case STANDALONE -> Redis.createStandaloneClient(vertx, options,
                    credentials(() -> new RedisStandaloneConnectOptions(options), config, password));
            case SENTINEL -> {
                options.setType(RedisClientType.SENTINEL)
                        .setMasterName(config.sentinel().masterName())
                        .setRole(RedisRole.MASTER)
                        .setTopologyCacheTTL(TOPOLOGY_TTL_MILLIS)
                        .setAutoFailover(true);
                yield Redis.createSentinelClient(vertx, options,
                        credentials(() -> new RedisSentinelConnectOptions(options), config, password));
            }
            case CLUSTER -> {
                options.setType(RedisClientType.CLUSTER)
                        .setUseReplicas(RedisReplicas.NEVER)
                        .setHashSlotCacheTTL(TOPOLOGY_TTL_MILLIS)
                        .setTopologyCacheTTL(TOPOLOGY_TTL_MILLIS);
                yield Redis.createClusterClient(vertx, options,
                        credentials(() -> new RedisClusterConnectOptions(options), config, password));
            }
        };
    }

    /** Connect options with the password as the secret holds it now (the username is in {@code options}). */
    private static <T extends RedisConnectOptions> Supplier<Future<T>> credentials(
            Supplier<T> fresh, RateLimitStoreConfig config, SecretRef password) {
        return () -> {
            T o = fresh.get();
            Secret s = password == null ? null : password.current();
            if (s != null) {
                o.setPassword(s.reveal());
            }
            return Future.succeededFuture(o);
        };
    }

    private static void tls(NetClientOptions net, RateLimitStoreConfig.Tls tls) {
        net.setSsl(true).setHostnameVerificationAlgorithm(tls == null || tls.verifyHostname() ? "HTTPS" : "");
        if (tls == null) {
            return;
        }
        if (tls.caFile() != null) {
            net.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
        }
        if (tls.certFile() != null) {
            net.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()));
        }
    }

    /** Where the store's Redis is, for logs and errors: addresses without user info (a password in them must never be shown). */
    static String describe(RateLimitStoreConfig config) {
        String hosts = config.addresses().stream().map(RedisConnector::redacted).collect(Collectors.joining(", "));
        return switch (config.mode()) {
            case STANDALONE -> hosts;
            case SENTINEL -> "master " + config.sentinel().masterName() + " via sentinels " + hosts;
            case CLUSTER -> "cluster " + hosts;
        };
    }

    /** The URL without user info, for logs and errors. */
    static String redacted(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "(unparsable url)";
        }
    }
}
