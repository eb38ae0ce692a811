package io.agentgateway.budget;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.secret.SecretStore;
import io.agentgateway.testing.Await;
import io.agentgateway.testing.RedisNodes;
import io.agentgateway.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis that speaks only TLS (certificates from a CA made here, client certificates required)
 * and has an ACL user allowed only the {@code tls-it:} keys: the store, configured from YAML,
 * connects as that user with the password from a secret; the ACL and the TLS trust really apply;
 * the password shows up in no log line and no error.
 */
class RedisTlsAclIT {
    static final String ADMIN_PASSWORD = "tls-admin-pw-77";
    static final String GATEWAY_PASSWORD = "gw-acl-pw-5d1c";
    static RedisNodes nodes;
    static RedisNodes.Node redis;
    static Path dir;
    static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeAll
    static void start() {
        nodes = new RedisNodes(ADMIN_PASSWORD);
        dir = nodes.dir();
        TestPki ca = TestPki.create("redis-test-ca");
        Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        TestPki.Issued server = ca.server();
        TestPki.Issued client = ca.client("agentgateway");
        server.writeCertificate(dir.resolve("server.pem"));
        server.writeKey(dir.resolve("server-key.pem"));
        client.writeCertificate(dir.resolve("client.pem"));
        client.writeKey(dir.resolve("client-key.pem"));
        nodes.cliTls(caFile, dir.resolve("client.pem"), dir.resolve("client-key.pem"));
        redis = nodes.tlsServer("tls", caFile, dir.resolve("server.pem"), dir.resolve("server-key.pem"),
                "--user", "gateway", "on", ">" + GATEWAY_PASSWORD, "~tls-it:*", "+evalsha", "+eval", "+ping", "+get", "+set",
                "+incrby", "+pttl", "+pexpire", "+time", "+zadd", "+zrem", "+zremrangebyscore", "+zcard");
        logged.start();
        root.addAppender(logged);
    }

    @AfterAll
    static void stop() {
        root.detachAppender(logged);
        nodes.close();
    }

    static RedisCounterStore store(String prefix, String failureMode, String tls) throws Exception {
        String yaml = """
                listeners: [{name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}]
                rate_limit_store:
                  type: redis
                  mode: standalone
                  url: rediss://localhost:%d
                  username: gateway
                  password_secret: redis-gateway
                  failure_mode: %s
                  key_prefix: "%s"
                  timeout: 2s
                  %s
                """.formatted(redis.port(), failureMode, prefix, tls);
        RateLimitStoreConfig config = new ConfigLoader(name -> null).parse(yaml, dir).rateLimitStore().resolvedAgainst(dir);
        SecretStore secrets = new SecretStore(null, name -> name.equals("REDIS_GATEWAY") ? GATEWAY_PASSWORD : null);
        return RedisCounterStore.create(nodes.vertx(), config, secrets.ref("redis-gateway", "password"), Clock.systemUTC());
    }

    static final String TLS = "tls: {ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem}";

    static CounterStore.Counts reserve(CounterStore store, BudgetCounter counter) throws Exception {
        return store.reserve(List.of(counter), new long[]{1}).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    /** A fail_closed store that cannot use Redis refuses with a 503's exception, which names no password. */
    static void assertRefused(RedisCounterStore store, String namespace) {
        try {
            assertThatThrownBy(() -> reserve(store, counter(namespace))).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BudgetUnavailableException.class)
                    .message().doesNotContain(GATEWAY_PASSWORD);
        } finally {
            store.close();
        }
    }

    static BudgetCounter counter(String ns) {
        return new BudgetCounter("{" + ns + "}:requests:3600:0", 5, System.currentTimeMillis() + 3_600_000);
    }

    @Test
    void countsOverTlsAsTheAclUser() throws Exception {
        RedisCounterStore store = store("tls-it:", "fail_open", TLS);
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(reserve(store, counter("tls-team")).granted()).isTrue();
            }
            assertThat(reserve(store, counter("tls-team")).granted()).as("the sixth of five").isFalse();
            assertThat(redis.cli("GET", "tls-it:{tls-team}:requests:3600:0")).isEqualTo("5");
            assertThat(redis.cli("CLIENT", "LIST")).contains("user=gateway");
            Await.until("the replica's heartbeat is in Redis", () -> redis.cli("ZCARD", "tls-it:replicas").equals("1"));
            assertThat(store.failures()).as("with fail_open a refused command would be counted locally: none was").isZero();
        } finally {
            store.close();
        }
    }

    @Test
    void theAclApplies() throws Exception {
        assertRefused(store("elsewhere:", "fail_closed", TLS), "acl-team");
        assertThat(redis.cli("KEYS", "elsewhere:*")).isEmpty();
    }

    @Test
    void anUntrustedServerIsRefused() throws Exception {
        assertRefused(store("tls-it:", "fail_closed", "tls: {cert_file: client.pem, key_file: client-key.pem}"), "trust-team");
        assertThat(redis.cli("KEYS", "tls-it:{trust-team}*")).isEmpty();
    }

    @Test
    void thePasswordIsInNoLogLine() throws Exception {
        RedisCounterStore store = store("elsewhere:", "fail_closed", TLS);
        try {
            assertThatThrownBy(() -> reserve(store, counter("log-team"))).isInstanceOf(ExecutionException.class);
            Await.until("the failure is logged", () -> logged.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("budget store")));
        } finally {
            store.close();
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(GATEWAY_PASSWORD));
        assertThat(logged.list).filteredOn(e -> e.getThrowableProxy() != null)
                .extracting(e -> e.getThrowableProxy().getMessage()).noneMatch(m -> m != null && m.contains(GATEWAY_PASSWORD));
    }
}
