package io.agentgateway.budget;

import io.agentgateway.core.Usage;

import io.agentgateway.config.MatchConfig;
import io.agentgateway.config.PrincipalSelector;
import io.agentgateway.config.RateLimitRule;
import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Resource;
import io.agentgateway.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules over the memory store: matching, windows, all-or-nothing reservations, reconciliation, headers, metrics. */
class RuleBudgetsTest {
    static Vertx vertx;
    ManualClock clock;
    SimpleMeterRegistry registry;
    BudgetState state;

    static final Principal DEV = Principal.serviceAccount("dev-team", "code-assistant", "api_key", Map.of());
    static final Principal PROD = Principal.serviceAccount("production", "app", "api_key", Map.of());
    static final Resource GPT4 = new Resource.Model("gpt-4");
    static final Resource TOOL = new Resource.McpTool("filesystem-server", "read_file");

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    @BeforeEach
    void setUp() {
        clock = ManualClock.at("2026-11-26T18:00:00Z");
        registry = new SimpleMeterRegistry();
        state = new BudgetState(vertx, clock, registry);
    }

    static RateLimitRule rule(String name, String namespace, long limit, String window, RateLimitRule.LimitBy by, List<String> resources) {
        MatchConfig match = namespace == null ? null : new MatchConfig(new PrincipalSelector(namespace, null, null));
        return new RateLimitRule(name, match, limit, io.agentgateway.config.Durations.parse(window), by, resources);
    }

    static RateLimitRule tokens(String name, String namespace, long limit) {
        return rule(name, namespace, limit, "24h", RateLimitRule.LimitBy.TOKENS, null);
    }

    static RateLimitRule requests(String name, String namespace, long limit, String window) {
        return rule(name, namespace, limit, window, RateLimitRule.LimitBy.REQUESTS, null);
    }

    Budgets budgets(RateLimitRule... rules) {
        return state.budgets(List.of(rules), RateLimitStoreConfig.MEMORY, null, Set.of("dev-team", "production"));
    }

    static Reservation granted(Future<Reservation> f) {
        assertThat(f.succeeded()).as("reservation granted: %s", f.cause()).isTrue();
        return f.result();
    }

    static BudgetExceededException refused(Future<Reservation> f) {
        assertThat(f.failed()).as("reservation refused").isTrue();
        assertThat(f.cause()).isInstanceOf(BudgetExceededException.class);
        return (BudgetExceededException) f.cause();
    }

    static MultiMap headers(Reservation r) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        r.writeHeaders(h);
        return h;
    }

    @Test
    void seedBudgetsCountPerNamespaceWithOpenAiHeaders() {
        Budgets b = budgets(tokens("dev-team-budget", "dev-team", 1_000_000), tokens("prod-budget", "production", 5_000_000));
        MultiMap dev = headers(granted(b.reserve(DEV, GPT4, 100)));
        assertThat(dev.get("x-ratelimit-limit-tokens")).isEqualTo("1000000");
        assertThat(dev.get("x-ratelimit-remaining-tokens")).isEqualTo("999900");
        assertThat(dev.get("x-ratelimit-reset-tokens")).isEqualTo("6h0m0s");
        assertThat(dev.contains("x-ratelimit-limit-requests")).isFalse();

        MultiMap prod = headers(granted(b.reserve(PROD, GPT4, 40)));
        assertThat(prod.get("x-ratelimit-limit-tokens")).isEqualTo("5000000");
        assertThat(prod.get("x-ratelimit-remaining-tokens")).isEqualTo("4999960");

        Principal other = Principal.serviceAccount("ai-agents", "x", "api_key", Map.of());
        assertThat(granted(b.reserve(other, GPT4, 10))).isSameAs(Reservation.NONE);
    }

    @Test
    void reconcileChargesTheDifferenceAndReleasesOverReservation() {
        Budgets b = budgets(tokens("t", "dev-team", 1000));
        Reservation over = granted(b.reserve(DEV, GPT4, 500));
        over.reconcile(Usage.of(19, 10));
        over.reconcile(Usage.of(400, 400)); // only the first settlement counts
        assertThat(headers(granted(b.reserve(DEV, GPT4, 0))).get("x-ratelimit-remaining-tokens")).isEqualTo("971");

        Reservation under = granted(b.reserve(DEV, GPT4, 5));
        under.reconcile(Usage.of(19, 10));
        assertThat(headers(granted(b.reserve(DEV, GPT4, 0))).get("x-ratelimit-remaining-tokens")).isEqualTo("942");

        Reservation failed = granted(b.reserve(DEV, GPT4, 300));
        failed.reconcile(Usage.NONE);
        assertThat(headers(granted(b.reserve(DEV, GPT4, 0))).get("x-ratelimit-remaining-tokens")).isEqualTo("942");
    }

    @Test
    void aReserveThatDoesNotFitIsRefusedAndAnExhaustedBudgetRefusesEverything() {
        Budgets b = budgets(tokens("t", "dev-team", 100));
        BudgetExceededException e = refused(b.reserve(DEV, GPT4, 101));
        assertThat(e.getMessage()).contains("rule t", "more than the whole budget", "lower max_tokens");
        Reservation r = granted(b.reserve(DEV, GPT4, 100));
        e = refused(b.reserve(DEV, GPT4, 0));
        assertThat(e.getMessage()).contains("0 remain");
        r.reconcile(Usage.of(60, 0));
        refused(b.reserve(DEV, GPT4, 41));
        granted(b.reserve(DEV, GPT4, 40));
    }

    @Test
    void refusalNamesTheRuleWithRetryAfterToTheWindowEndAndHeaders() {
        Budgets b = budgets(requests("per-minute", "dev-team", 2, "1m"), tokens("daily", "dev-team", 1_000_000));
        clock.set(Instant.parse("2026-11-26T18:00:42.500Z"));
        granted(b.reserve(DEV, GPT4, 10));
        granted(b.reserve(DEV, GPT4, 10));
        BudgetExceededException e = refused(b.reserve(DEV, GPT4, 10));
        assertThat(e.rule()).isEqualTo("per-minute");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(17_500));
        assertThat(e.getMessage()).contains("rule per-minute allows 2 requests per 1m for namespace dev-team; none remain",
                "resets in 18s");
        assertThat(e.headers().get("x-ratelimit-limit-requests")).isEqualTo("2");
        assertThat(e.headers().get("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(e.headers().get("x-ratelimit-reset-requests")).isEqualTo("18s");
        assertThat(e.headers().get("x-ratelimit-remaining-tokens")).isEqualTo("999980");
        assertThat(registry.get("agentgateway.ratelimit.rejections").tags("rule", "per-minute", "namespace", "dev-team")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void allOrNothingAcrossRules() {
        Budgets b = budgets(requests("calls", "dev-team", 5, "1h"), tokens("tokens", "dev-team", 100));
        refused(b.reserve(DEV, GPT4, 150));
        refused(b.reserve(DEV, GPT4, 150));
        MultiMap h = headers(granted(b.reserve(DEV, GPT4, 10)));
        assertThat(h.get("x-ratelimit-remaining-requests")).as("refused reservations left nothing behind").isEqualTo("4");
        assertThat(h.get("x-ratelimit-remaining-tokens")).isEqualTo("90");
    }

    @Test
    void windowsAreAlignedToTheEpochAndResetOnTime() {
        Budgets b = budgets(requests("daily", "dev-team", 1, "24h"), rule("weekly", "production", 1, "7d",
                RateLimitRule.LimitBy.REQUESTS, null));
        clock.set(Instant.parse("2026-11-26T23:59:59Z"));
        assertThat(headers(granted(b.reserve(DEV, GPT4, 0))).get("x-ratelimit-reset-requests")).isEqualTo("1s");
        refused(b.reserve(DEV, GPT4, 0));
        clock.advance(Duration.ofSeconds(1));
        MultiMap h = headers(granted(b.reserve(DEV, GPT4, 0)));
        assertThat(h.get("x-ratelimit-reset-requests")).isEqualTo("24h0m0s");

        // 7d windows start on Thursdays 00:00 UTC, as 1970-01-01 was one: it is now Friday 2026-11-27 00:00.
        assertThat(headers(granted(b.reserve(PROD, GPT4, 0))).get("x-ratelimit-reset-requests")).isEqualTo("144h0m0s");
        clock.advance(Duration.ofDays(6).minusMillis(1));
        refused(b.reserve(PROD, GPT4, 0));
        clock.advance(Duration.ofMillis(1));
        granted(b.reserve(PROD, GPT4, 0));
    }

    @Test
    void aReservationSettledAfterItsWindowEndedDoesNotTouchTheNextWindow() {
        Budgets b = budgets(rule("hourly", "dev-team", 100, "1h", RateLimitRule.LimitBy.TOKENS, null));
        clock.set(Instant.parse("2026-11-26T18:59:00Z"));
        Reservation r = granted(b.reserve(DEV, GPT4, 50));
        clock.advance(Duration.ofMinutes(2));
        r.reconcile(Usage.of(90, 0));
        assertThat(headers(granted(b.reserve(DEV, GPT4, 0))).get("x-ratelimit-remaining-tokens")).isEqualTo("100");
    }

    @Test
    void resourcesDefaultToModelsForTokensAndEverythingForRequests() {
        Budgets b = budgets(requests("calls", "dev-team", 10, "1h"), tokens("tokens", "dev-team", 100),
                rule("mcp-only", "dev-team", 3, "1h", RateLimitRule.LimitBy.REQUESTS, List.of("mcp:*")));
        MultiMap tool = headers(granted(b.reserve(DEV, TOOL, 0)));
        assertThat(tool.contains("x-ratelimit-limit-tokens")).as("token rules count models only by default").isFalse();
        assertThat(tool.get("x-ratelimit-remaining-requests")).isEqualTo("2");
        MultiMap model = headers(granted(b.reserve(DEV, GPT4, 1)));
        assertThat(model.get("x-ratelimit-remaining-requests")).as("mcp-only does not count models").isEqualTo("8");
        assertThat(granted(b.reserve(DEV, Resource.None.INSTANCE, 0))).as("a request naming no resource is not counted")
                .isSameAs(Reservation.NONE);
    }

    @Test
    void oneCounterPerNamespaceAndServiceAccountGlobs() {
        RateLimitRule shared = new RateLimitRule("agents", new MatchConfig(new PrincipalSelector(null,
                List.of("dev-team", "production"), "agent-*")), 1L, Duration.ofHours(1), RateLimitRule.LimitBy.REQUESTS, null);
        Budgets b = budgets(shared);
        Principal devAgent = Principal.serviceAccount("dev-team", "agent-a", "api_key", Map.of());
        Principal prodAgent = Principal.serviceAccount("production", "agent-b", "api_key", Map.of());
        granted(b.reserve(devAgent, GPT4, 0));
        refused(b.reserve(Principal.serviceAccount("dev-team", "agent-z", "api_key", Map.of()), GPT4, 0));
        granted(b.reserve(prodAgent, GPT4, 0));
        assertThat(granted(b.reserve(DEV, GPT4, 0))).as("code-assistant is not agent-*").isSameAs(Reservation.NONE);

        Budgets everyone = budgets(requests("everyone", null, 1, "1h"));
        granted(everyone.reserve(Principal.ANONYMOUS, GPT4, 0));
        refused(everyone.reserve(Principal.ANONYMOUS, GPT4, 0));
    }

    @Test
    void tightestRuleOfEachKindIsInTheHeaders() {
        Budgets b = budgets(tokens("daily", "dev-team", 1000), rule("hourly", "dev-team", 300, "1h", RateLimitRule.LimitBy.TOKENS, null));
        MultiMap h = headers(granted(b.reserve(DEV, GPT4, 100)));
        assertThat(h.get("x-ratelimit-limit-tokens")).isEqualTo("300");
        assertThat(h.get("x-ratelimit-remaining-tokens")).isEqualTo("200");
        assertThat(h.get("x-ratelimit-reset-tokens")).isEqualTo("1h0m0s");
    }

    @Test
    void countersSurviveRecompilingWithAMemoryStore() {
        granted(budgets(requests("calls", "dev-team", 2, "1h")).reserve(DEV, GPT4, 0));
        Budgets recompiled = state.budgets(List.of(requests("calls", "dev-team", 2, "1h")),
                new RateLimitStoreConfig(null, null, null, null, RateLimitStoreConfig.FailureMode.FAIL_CLOSED, null, null,
                        null, null, null, null, null),
                null, Set.of());
        granted(recompiled.reserve(DEV, GPT4, 0));
        refused(recompiled.reserve(DEV, GPT4, 0));
    }

    @Test
    void remainingGaugeFollowsTheCounterAndResetsWithTheWindow() {
        Budgets b = budgets(tokens("dev-team-budget", "dev-team", 1000));
        granted(b.reserve(DEV, GPT4, 100)).reconcile(Usage.of(19, 10));
        io.micrometer.core.instrument.Gauge g = registry.get("agentgateway.budget.remaining")
                .tags("rule", "dev-team-budget", "namespace", "dev-team", "limit_by", "tokens").gauge();
        assertThat(g.value()).isEqualTo(971);
        clock.advance(Duration.ofHours(6));
        assertThat(g.value()).isEqualTo(1000);
        budgets(requests("other", "dev-team", 1, "1h"));
        assertThat(registry.find("agentgateway.budget.remaining").tags("rule", "dev-team-budget").gauge())
                .as("a rule removed by a reload loses its gauge").isNull();
    }

    @Test
    void aRuleReloadedWithAnotherLimitByHasTheGaugeOfItsNewKindOnly() {
        Budgets b = budgets(tokens("dev-team-budget", "dev-team", 1000));
        granted(b.reserve(DEV, GPT4, 100)).reconcile(Usage.of(19, 10));
        Budgets reloaded = budgets(requests("dev-team-budget", "dev-team", 5, "1h"));
        granted(reloaded.reserve(DEV, GPT4, 0));
        assertThat(registry.find("agentgateway.budget.remaining").tags("rule", "dev-team-budget", "limit_by", "tokens").gauge())
                .isNull();
        assertThat(registry.get("agentgateway.budget.remaining")
                .tags("rule", "dev-team-budget", "namespace", "dev-team", "limit_by", "requests").gauge().value()).isEqualTo(4);
        granted(reloaded.reserve(DEV, GPT4, 0));
        assertThat(registry.get("agentgateway.budget.remaining")
                .tags("rule", "dev-team-budget", "namespace", "dev-team", "limit_by", "requests").gauge().value()).isEqualTo(3);
    }

    @Test
    void concurrentReservationsNeverOvershoot() throws Exception {
        Budgets b = budgets(requests("calls", "dev-team", 3000, "1h"), tokens("tokens", "dev-team", 1_000_000));
        int threads = 8;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (b.reserve(DEV, GPT4, 7).succeeded()) {
                        admitted.incrementAndGet();
                    }
                }
            });
            th.start();
            running.add(th);
        }
        start.countDown();
        for (Thread th : running) {
            th.join();
        }
        assertThat(admitted.get()).isEqualTo(3000);
        MultiMap h = headers(granted(budgets(tokens("tokens", "dev-team", 1_000_000)).reserve(DEV, GPT4, 0)));
        assertThat(h.get("x-ratelimit-remaining-tokens")).isEqualTo(Long.toString(1_000_000 - 3000 * 7));
    }

    @Test
    void resetDurationsAreWrittenLikeOpenAi() {
        assertThat(RateLimitHeaders.duration(20)).isEqualTo("20ms");
        assertThat(RateLimitHeaders.duration(1000)).isEqualTo("1s");
        assertThat(RateLimitHeaders.duration(1001)).isEqualTo("2s");
        assertThat(RateLimitHeaders.duration(360_000)).isEqualTo("6m0s");
        assertThat(RateLimitHeaders.duration(Duration.ofDays(31).toMillis())).isEqualTo("744h0m0s");
    }
}
