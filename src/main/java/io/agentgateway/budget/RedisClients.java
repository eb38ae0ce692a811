package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisStandaloneConnectOptions;

import java.util.function.Supplier;

/**
 * Clients of the shared store ({@code rate_limit_store} of type {@code redis}): the budget counters
 * and anything else every replica must agree on (ended MCP sessions). The password is read from
 * its secret at each connection, so a rotated one takes effect for new connections.
 */
public final class RedisClients {
    private RedisClients() {
    }

    /** A client for {@code config}; nothing connects until the first command. The caller closes it. */
    public static Redis create(Vertx vertx, RateLimitStoreConfig config, SecretRef password) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.timeout().toMillis()));
        RedisOptions options = new RedisOptions()
                .setConnectionString(config.url())
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(timeout).setTcpNoDelay(true).setTcpKeepAlive(true));
        Supplier<Future<RedisStandaloneConnectOptions>> connectOptions = () -> {
            RedisStandaloneConnectOptions o = new RedisStandaloneConnectOptions(options);
            Secret s = password == null ? null : password.current();
            if (s != null) {
                o.setPassword(s.reveal());
            }
            return Future.succeededFuture(o);
        };
        return Redis.createStandaloneClient(vertx, options, connectOptions);
    }
}
