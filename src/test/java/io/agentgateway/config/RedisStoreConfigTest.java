package io.agentgateway.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code rate_limit_store} for Sentinel, Cluster, TLS and ACL users: what loads, and what is refused where. */
class RedisStoreConfigTest {

    @Test
    void sentinelLoads() throws ConfigException {
        RateLimitStoreConfig s = load(LISTENER + """
                rate_limit_store:
                  type: redis
                  mode: sentinel
                  sentinel:
                    master_name: budgets
                    nodes: ["redis://sentinel-0.redis:26379", "redis://sentinel-1.redis:26379"]
                  username: agentgateway
                  password_secret: redis-auth
                """).rateLimitStore();
        assertThat(s.mode()).isEqualTo(RateLimitStoreConfig.Mode.SENTINEL);
        assertThat(s.sentinel().masterName()).isEqualTo("budgets");
        assertThat(s.addresses()).containsExactly("redis://sentinel-0.redis:26379", "redis://sentinel-1.redis:26379");
        assertThat(s.username()).isEqualTo("agentgateway");
    }

    @Test
    void clusterWithTlsLoads() throws ConfigException {
        RateLimitStoreConfig s = load(LISTENER + """
                rate_limit_store:
                  type: redis
                  mode: cluster
                  cluster: {nodes: ["rediss://redis-0.redis:6379"]}
                  tls: {verify_hostname: false}
                """).rateLimitStore();
        assertThat(s.addresses()).containsExactly("rediss://redis-0.redis:6379");
        assertThat(s.tls().verifyHostname()).isFalse();
    }

    @Test
    void theStandaloneKeysAreUnchanged() throws ConfigException {
        RateLimitStoreConfig s = load(LISTENER + "rate_limit_store: {type: redis, url: \"redis://redis:6379\"}\n").rateLimitStore();
        assertThat(s.mode()).isEqualTo(RateLimitStoreConfig.Mode.STANDALONE);
        assertThat(s.addresses()).isEqualTo(List.of("redis://redis:6379"));
    }

    @Test
    void eachModeNeedsItsOwnKeys() {
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, mode: sentinel}\n"))
                .containsExactly("rate_limit_store.sentinel: is required for mode sentinel (master_name and nodes)");
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, mode: cluster, url: \"redis://r:6379\"}\n"))
                .containsExactly(
                        "rate_limit_store.url: is for mode standalone; with mode cluster list the addresses in rate_limit_store.cluster.nodes",
                        "rate_limit_store.cluster: is required for mode cluster (nodes)");
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, url: \"redis://r:6379\", cluster: {nodes: [\"redis://r:6379\"]}}\n"))
                .containsExactly("rate_limit_store.cluster: is only used with mode cluster (mode is standalone)");
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, mode: sentinel, sentinel: {master_name: m}}\n"))
                .containsExactly("rate_limit_store.sentinel.nodes: is required");
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, mode: sentinel, sentinel: {master_name: \" \", nodes: []}}\n"))
                .containsExactly("rate_limit_store.sentinel.master_name: must not be empty",
                        "rate_limit_store.sentinel.nodes: needs at least one address");
    }

    @Test
    void addressesAreCheckedWhereTheyAre() {
        assertThat(errors(LISTENER + """
                rate_limit_store:
                  type: redis
                  mode: cluster
                  cluster: {nodes: ["redis://:hunter2@a:6379", "rediss://b:6379", "http://c", "redis://d:6379/3"]}
                """)).containsExactly(
                "rate_limit_store.cluster.nodes[1]: \"rediss://b:6379\" mixes redis:// and rediss://; all addresses must use the same one",
                "rate_limit_store.cluster.nodes[2]: \"http://c\" must start with redis:// or rediss://",
                "rate_limit_store.cluster.nodes[3]: \"redis://d:6379/3\" selects database 3; Redis Cluster has only database 0");
    }

    @Test
    void tlsNeedsRedissAndReadableFiles() {
        assertThat(errors(LISTENER + """
                rate_limit_store:
                  type: redis
                  url: "redis://r:6379"
                  username: ""
                  tls: {ca_file: /nonexistent/ca.pem, cert_file: /nonexistent/c.pem}
                """)).containsExactly(
                "rate_limit_store.username: must not be empty",
                "rate_limit_store.tls: is set but the Redis addresses use redis://; use rediss:// to connect with TLS",
                "rate_limit_store.tls.ca_file: \"/nonexistent/ca.pem\" is not a readable file",
                "rate_limit_store.tls.cert_file: \"/nonexistent/c.pem\" is not a readable file",
                "rate_limit_store.tls: cert_file and key_file go together (a client certificate and its key)");
    }

    @Test
    void aPasswordInAnAddressIsNeverShown() {
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, mode: sentinel, sentinel: {master_name: m, nodes: [\"tcp://u:hunter2@s:26379\"]}}\n"))
                .singleElement().asString().doesNotContain("hunter2").contains("****");
    }
}
