package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.secret.SecretStore;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.RedisNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Budgets on a real three-master Redis Cluster started here ({@code redis-server
 * --cluster-enabled yes} and {@code redis-cli --cluster create}): two gateway replicas, given only
 * one node, reserve two counters per request for a dozen namespaces spread over the three masters;
 * every script runs on the node owning its slot, and each namespace's limit holds exactly.
 */
class RedisClusterIT {
    static final String PASSWORD = "clu5ter-budget-pw";
    static final int NAMESPACES = 12;
    static final long LIMIT = 30;
    static RedisNodes nodes;
    static final List<RedisNodes.Node> masters = new ArrayList<>();

    @BeforeAll
    static void start() {
        nodes = new RedisNodes(PASSWORD);
        for (int i = 0; i < 3; i++) {
            masters.add(nodes.server("node-" + i, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000"));
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        masters.forEach(m -> create.add("127.0.0.1:" + m.port()));
        create.add("--cluster-yes");
        String out = masters.get(0).cli(create.toArray(String[]::new));
        assertThat(out).as("redis-cli --cluster create").contains("All 16384 slots covered");
        Await.until("every node sees the cluster ok", () -> masters.stream()
                .allMatch(m -> m.cli("CLUSTER", "INFO").contains("cluster_state:ok")
                        && m.cli("CLUSTER", "INFO").contains("cluster_known_nodes:3")));
    }


    @AfterAll
    static void stop() {
        nodes.close();
    }

    static RedisCounterStore store() {
        RateLimitStoreConfig config = new RateLimitStoreConfig(RateLimitStoreConfig.StoreType.REDIS, null, "redis-auth",
                null, RateLimitStoreConfig.FailureMode.FAIL_CLOSED, "cluster-it:", Duration.ofSeconds(2),
                RateLimitStoreConfig.Mode.CLUSTER,
                null, new RateLimitStoreConfig.Cluster(List.of("redis://127.0.0.1:" + masters.get(0).port())), null, null);
        SecretStore secrets = new SecretStore(null, name -> name.equals("REDIS_AUTH") ? PASSWORD : null);
        return RedisCounterStore.create(nodes.vertx(), config, secrets.ref("redis-auth", "password"), Clock.systemUTC());
    }

    static List<BudgetCounter> counters(int namespace) {
        long end = System.currentTimeMillis() + 3_600_000;
        return List.of(new BudgetCounter("{team-" + namespace + "}:requests:3600:0", LIMIT, end),
                new BudgetCounter("{team-" + namespace + "}:spare:86400:0", 1_000_000, end));
    }

    static long get(String key) {
        String v = masters.get(0).cli("-c", "GET", key);
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    @Test
    void eachNamespaceLimitHoldsExactlyAcrossTheMasters() throws Exception {
        RedisCounterStore a = store();
        RedisCounterStore b = store();
        try {
            StoreTraffic traffic = new StoreTraffic(List.of(a, b), 1, n -> counters(n % NAMESPACES));
            try {
                Await.until("every namespace has spent its budget", () -> {
                    for (int ns = 0; ns < NAMESPACES; ns++) {
                        if (get("cluster-it:{team-" + ns + "}:requests:3600:0") < LIMIT) {
                            return false;
                        }
                    }
                    return traffic.refused() >= 2L * NAMESPACES;
                });
            } finally {
                traffic.close();
            }
            assertThat(a.failures() + b.failures()).as("Redis operations that failed (a CROSSSLOT would)").isZero();
            assertThat(traffic.granted()).as("requests granted by the two replicas together").isEqualTo(NAMESPACES * LIMIT);
            for (int ns = 0; ns < NAMESPACES; ns++) {
                assertThat(get("cluster-it:{team-" + ns + "}:requests:3600:0")).as("team-%d requests", ns).isEqualTo(LIMIT);
                assertThat(get("cluster-it:{team-" + ns + "}:spare:86400:0")).as("team-%d second counter", ns).isEqualTo(LIMIT);
            }
            List<BudgetCounter> everyNamespace = new ArrayList<>();
            for (int ns = 0; ns < NAMESPACES; ns++) {
                everyNamespace.add(counters(ns).get(0));
            }
            long[] peeked = a.peek(everyNamespace).await(10, TimeUnit.SECONDS);
            assertThat(peeked).as("one read of counters on all three masters").containsOnly(LIMIT).hasSize(NAMESPACES);
            for (RedisNodes.Node m : masters) {
                assertThat(Long.parseLong(m.cli("DBSIZE"))).as("keys on %s", m.name()).isPositive();
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
