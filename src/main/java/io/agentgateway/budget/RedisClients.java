package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.secret.SecretRef;
import io.vertx.redis.client.Redis;
import io.vertx.core.Vertx;

/**
 * Clients of the shared store ({@code rate_limit_store} of type {@code redis}) for what else every
 * replica must agree on besides budgets (ended MCP sessions): the same connection setup as the
 * budget counters (one server, Sentinel or Cluster, TLS, password from its secret).
 */
public final class RedisClients {
    private RedisClients() {
    }

    /** A client for {@code config}; nothing connects until the first command. The caller closes it. */
    public static Redis create(Vertx vertx, RateLimitStoreConfig config, SecretRef password) {
        return RedisConnector.create(vertx, config, password);
    }
}
