package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.RedisNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster of three masters with a replica each, started here: the master owning one
 * namespace's slot is stopped while two gateway replicas reserve for three namespaces; the
 * cluster promotes its replica, the stores count locally meanwhile (fail_open) and replay, and
 * every namespace's limit holds exactly, each grant counted once.
 */
class RedisClusterFailoverIT {
    static final int NAMESPACES = 3;
    static final long LIMIT = 300;
    static RedisNodes nodes;
    static final List<RedisNodes.Node> all = new ArrayList<>();

    @BeforeAll
    static void start() {
        nodes = new RedisNodes(null);
        for (int i = 0; i < 6; i++) {
            all.add(nodes.server("node-" + i, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000"));
        }
        List<String> create = new ArrayList<>(List.of("--cluster", "create"));
        all.forEach(m -> create.add("127.0.0.1:" + m.port()));
        create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        assertThat(all.get(0).cli(create.toArray(String[]::new))).contains("All 16384 slots covered");
        Await.until("every node sees the cluster ok", () -> all.stream()
                .allMatch(m -> m.cli("CLUSTER", "INFO").contains("cluster_state:ok")
                        && m.cli("CLUSTER", "INFO").contains("cluster_known_nodes:6")));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    static RedisCounterStore store() {
        RateLimitStoreConfig config = new RateLimitStoreConfig(RateLimitStoreConfig.StoreType.REDIS, null, null, null,
                RateLimitStoreConfig.FailureMode.FAIL_OPEN, "cluster-fo:", Duration.ofMillis(300), RateLimitStoreConfig.Mode.CLUSTER,
                null, new RateLimitStoreConfig.Cluster(all.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList()), null, null);
        return RedisCounterStore.create(nodes.vertx(), config, null, Clock.systemUTC());
    }

    static BudgetCounter counter(int namespace) {
        return new BudgetCounter("{fo-" + namespace + "}:requests:3600:0", LIMIT, System.currentTimeMillis() + 3_600_000);
    }

    static RedisNodes.Node live() {
        return all.stream().filter(n -> n.cli("PING").equals("PONG")).findFirst().orElseThrow();
    }

    static long get(String key) {
        String v = live().cli("-c", "GET", key);
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    /** The master node serving {@code key}'s slot, from {@code CLUSTER NODES}. */
    static RedisNodes.Node masterOf(String key) {
        RedisNodes.Node asked = live();
        int slot = Integer.parseInt(asked.cli("CLUSTER", "KEYSLOT", key));
        for (String line : asked.cli("CLUSTER", "NODES").split("\n")) {
            String[] f = line.trim().split(" ");
            if (!f[2].contains("master")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                    return all.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
                }
            }
        }
        throw new AssertionError("no master serves slot " + slot);
    }

    @Test
    void eachLimitHoldsExactlyAcrossAMasterFailover() {
        String key0 = "cluster-fo:" + counter(0).id();
        RedisNodes.Node victim = masterOf(key0);
        RedisCounterStore a = store();
        RedisCounterStore b = store();
        try {
            Await.until("both replicas see each other", () -> a.replicas() == 2 && b.replicas() == 2);
            StoreTraffic traffic = new StoreTraffic(List.of(a, b), 20, n -> List.of(counter(n % NAMESPACES)));
            try {
                Await.until("some requests are counted", () -> traffic.granted() >= 60);
                victim.stop();
                Await.until("another node serves the stopped master's slots", () ->
                        live().cli("CLUSTER", "INFO").contains("cluster_state:ok") && masterOf(key0) != victim);
                Await.until("every namespace spends its budget in the cluster", () -> {
                    for (int ns = 0; ns < NAMESPACES; ns++) {
                        if (get("cluster-fo:" + counter(ns).id()) < LIMIT) {
                            return false;
                        }
                    }
                    return a.settled() && b.settled() && traffic.refused() > NAMESPACES;
                });
            } finally {
                traffic.close();
            }
            assertThat(a.failures() + b.failures()).as("the stores did notice the master go").isPositive();
            Await.until("local counts are all replayed", () -> a.settled() && b.settled());
            assertThat(traffic.granted()).as("requests granted by the two replicas together").isEqualTo(NAMESPACES * LIMIT);
            for (int ns = 0; ns < NAMESPACES; ns++) {
                assertThat(get("cluster-fo:" + counter(ns).id())).as("namespace fo-%d", ns).isEqualTo(LIMIT);
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
