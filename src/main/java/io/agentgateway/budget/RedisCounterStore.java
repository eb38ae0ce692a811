package io.agentgateway.budget;

import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters in Redis, shared by every replica ({@code rate_limit_store.type: redis}; one server,
 * Sentinel or Cluster, see {@link RedisConnector}): one atomic Lua script per reservation and one
 * per settlement ({@link RedisScripts}), over the Vert.x Redis client's connection pool, each
 * bounded by {@code timeout}. A request's keys share one hash tag (its namespace), so on a
 * cluster each script touches one slot; replays are sent one script per tag.
 *
 * <p>When Redis fails (timeout, connection refused or lost, an error answer) the store switches to
 * its {@link OutageLedger} at once rather than making every request wait for a timeout:
 * {@code fail_open} reserves against what this replica last saw plus its own debits, within its
 * share of the headroom ({@link ReplicaCensus} counts the replicas),
 * {@code fail_closed} refuses with {@link BudgetUnavailableException}; settlements are recorded in
 * both modes. A probe every second replays the recorded debits (or pings); as soon as Redis
 * answers, requests go back to it and the debits still recorded are flushed right after. A
 * command that timed out may still be applied by Redis; when its late answer says so, the local
 * copy is taken back, so it counts once.
 *
 * <p>The Redis password is read from its secret on every new connection, so rotation needs no
 * reload. Results are delivered on the caller's context ({@link RedisCommands}). Thread-safe.
 */
final class RedisCounterStore implements CounterStore {
    private static final Logger log = LoggerFactory.getLogger(RedisCounterStore.class);
    private static final long PROBE_EVERY_MILLIS = 1000;

    private final Vertx vertx;
    private final RedisCommands redis;
    private final Clock clock;
    private final String prefix;
    private final boolean failOpen;
    private final String endpoint;
    private final OutageLedger ledger = new OutageLedger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final ReplicaCensus census;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    private RedisCounterStore(Vertx vertx, Redis redis, Clock clock, RateLimitStoreConfig config) {
        this.vertx = vertx;
        this.redis = new RedisCommands(vertx, redis, Math.max(1, config.timeout().toMillis()));
        this.clock = clock;
        this.prefix = config.keyPrefix();
        this.failOpen = config.failureMode() == RateLimitStoreConfig.FailureMode.FAIL_OPEN;
        this.endpoint = RedisConnector.describe(config);
        this.census = failOpen ? new ReplicaCensus(vertx, this.redis, prefix + "replicas") : null;
    }

    /**
     * Creates the client ({@link RedisConnector}). Under {@code fail_open} the replica census
     * starts beating at once; otherwise nothing connects until the first command.
     */
    static RedisCounterStore create(Vertx vertx, RateLimitStoreConfig config, SecretRef password, Clock clock) {
        return new RedisCounterStore(vertx, RedisConnector.create(vertx, config, password), clock, config);
    }

    @Override
    public Future<Counts> reserve(List<BudgetCounter> counters, long[] amounts) {
        if (closed) {
            return Future.failedFuture(new BudgetUnavailableException("the budget store is closed"));
        }
        if (ledger.down()) {
            return whileDown(counters, amounts);
        }
        long now = clock.millis();
        long[] args = new long[counters.size() * 3];
        for (int i = 0; i < counters.size(); i++) {
            BudgetCounter c = counters.get(i);
            args[3 * i] = amounts[i];
            args[3 * i + 1] = c.limit();
            args[3 * i + 2] = Math.max(1, c.windowEndMillis() - now);
        }
        Future<Response> answer = redis.eval(RedisScripts.RESERVE, keys(counters), args);
        return RedisCommands.onCaller(redis.bounded(answer)).transform(ar -> {
            if (ar.succeeded()) {
                Response r = ar.result();
                long[] values = new long[counters.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.get(i + 1).toLong();
                }
                ledger.observe(counters, values, clock.millis());
                return Future.succeededFuture(new Counts(r.get(0).toLong() == 1, values));
            }
            failed(ar.cause());
            if (ar.cause() instanceof TimeoutException) {
                // Decided locally below; if Redis granted it after all, take that back so it counts once.
                answer.onSuccess(r -> {
                    if (r.get(0).toLong() == 1) {
                        undo(counters, amounts);
                    }
                });
            }
            return whileDown(counters, amounts);
        });
    }

    private Future<Counts> whileDown(List<BudgetCounter> counters, long[] amounts) {
        if (!failOpen) {
            ledger.markDown();
            startProbing();
            return Future.failedFuture(new BudgetUnavailableException("the budget store (Redis at " + endpoint
                    + ") is unreachable and rate_limit_store.failure_mode is fail_closed"));
        }
        Counts counts = ledger.reserve(counters, amounts, census.live());
        startProbing();
        return Future.succeededFuture(counts);
    }

    @Override
    public Future<long[]> adjust(List<BudgetCounter> counters, long[] deltas) {
        long now = clock.millis();
        List<BudgetCounter> live = new ArrayList<>(counters.size());
        long[] liveDeltas = new long[counters.size()];
        for (int i = 0; i < counters.size(); i++) {
            if (counters.get(i).windowEndMillis() > now) {
                liveDeltas[live.size()] = deltas[i];
                live.add(counters.get(i));
            }
        }
        if (live.isEmpty() || closed) {
            return Future.succeededFuture(minusOnes(counters.size()));
        }
        if (ledger.down()) {
            long[] values = ledger.adjust(counters, deltas, now);
            startProbing();
            return Future.succeededFuture(values);
        }
        long[] args = new long[live.size() * 2];
        for (int i = 0; i < live.size(); i++) {
            args[2 * i] = liveDeltas[i];
            args[2 * i + 1] = Math.max(1, live.get(i).windowEndMillis() - now);
        }
        Future<Response> answer = redis.eval(RedisScripts.ADJUST, keys(live), args);
        return RedisCommands.onCaller(redis.bounded(answer)).transform(ar -> {
            if (ar.failed()) {
                failed(ar.cause());
                if (ar.cause() instanceof TimeoutException) {
                    answer.onSuccess(r -> undo(live, Arrays.copyOf(liveDeltas, live.size())));
                }
                long[] values = ledger.adjust(counters, deltas, clock.millis());
                startProbing();
                return Future.succeededFuture(values);
            }
            long[] values = minusOnes(counters.size());
            long[] liveValues = new long[live.size()];
            for (int i = 0, j = 0; i < counters.size() && j < live.size(); i++) {
                if (counters.get(i) == live.get(j)) {
                    liveValues[j] = ar.result().get(j).toLong();
                    values[i] = liveValues[j++];
                }
            }
            ledger.observe(live, liveValues, clock.millis());
            return Future.succeededFuture(values);
        });
    }

    /**
     * One {@code MGET}: the cluster-wide values. While Redis is away, or when this read fails, what
     * this replica knows instead; a failed read is not an outage by itself (requests find out).
     */
    @Override
    public Future<long[]> peek(List<BudgetCounter> counters) {
        long now = clock.millis();
        if (closed || counters.isEmpty() || ledger.down()) {
            return Future.succeededFuture(ledger.peek(counters, now));
        }
        return RedisCommands.onCaller(redis.bounded(redis.mget(keys(counters)))).transform(ar -> {
            long[] values = ledger.peek(counters, clock.millis());
            if (ar.succeeded()) {
                for (int i = 0; i < values.length; i++) {
                    Response r = ar.result().get(i);
                    values[i] = counters.get(i).windowEndMillis() <= now ? -1 : r == null ? 0 : r.toLong();
                }
            }
            return Future.succeededFuture(values);
        });
    }

    /** How many Redis operations have failed (probes included) since the store was made. */
    long failures() {
        return failures.get();
    }

    /** True when counting in Redis with nothing counted here that Redis has not confirmed. */
    boolean settled() {
        return !ledger.down() && ledger.unconfirmed() == 0;
    }

    /** Gateway replicas sharing this Redis as last seen (1 under fail_closed, which does not count them). */
    int replicas() {
        return census == null ? 1 : census.live();
    }

    private void failed(Throwable cause) {
        failures.incrementAndGet();
        boolean wasUp = !ledger.down();
        ledger.markDown();
        if (wasUp) {
            log.warn("budget store: Redis at {} failed ({}); {} until it answers again", endpoint, describe(cause),
                    failOpen ? "counting locally (fail_open)" : "refusing requests with 503 (fail_closed)");
        }
        startProbing();
    }

    private void startProbing() {
        if (!closed && probing.compareAndSet(false, true)) {
            vertx.setTimer(PROBE_EVERY_MILLIS, t -> probe());
        }
    }

    /**
     * Replays what was counted here while Redis was away (or pings), until Redis has it all. One
     * script per hash tag, so that on a Redis Cluster each touches a single slot.
     */
    private void probe() {
        if (closed) {
            return;
        }
        Map<String, List<OutageLedger.Debit>> bySlot = new LinkedHashMap<>();
        for (OutageLedger.Debit d : ledger.takePending(clock.millis())) {
            bySlot.computeIfAbsent(hashTag(prefix + d.counter().id()), k -> new ArrayList<>()).add(d);
        }
        List<Future<Integer>> sent = new ArrayList<>(Math.max(1, bySlot.size()));
        if (bySlot.isEmpty()) {
            sent.add(redis.bounded(redis.ping()).map(0));
        }
        bySlot.values().forEach(batch -> sent.add(replay(batch)));
        Future.join(sent).onComplete(ar -> {
            if (ar.failed()) {
                failed(ar.cause());
                vertx.setTimer(PROBE_EVERY_MILLIS, t -> probe());
                return;
            }
            int replayed = sent.stream().mapToInt(Future::result).sum();
            if (replayed > 0) {
                log.info("budget store: replayed {} counter debit(s) to Redis at {}", replayed, endpoint);
            }
            if (ledger.up()) {
                log.info("budget store: Redis at {} answers again; counting there", endpoint);
            }
            if (ledger.hasPending()) {
                probe();
                return;
            }
            probing.set(false);
            if (ledger.down() || ledger.hasPending()) {
                startProbing();
            }
        });
    }

    /** Replays debits that share a slot; the ledger keeps them until Redis confirms. Yields how many. */
    private Future<Integer> replay(List<OutageLedger.Debit> batch) {
        long now = clock.millis();
        List<BudgetCounter> counters = new ArrayList<>(batch.size());
        long[] deltas = new long[batch.size()];
        long[] args = new long[batch.size() * 2];
        for (int i = 0; i < batch.size(); i++) {
            OutageLedger.Debit d = batch.get(i);
            counters.add(d.counter());
            deltas[i] = d.delta();
            args[2 * i] = d.delta();
            args[2 * i + 1] = Math.max(1, d.counter().windowEndMillis() - now);
        }
        Future<Response> answer = redis.eval(RedisScripts.ADJUST, keys(counters), args);
        return redis.bounded(answer).transform(ar -> {
            if (ar.failed()) {
                ledger.replayFailed(batch);
                if (ar.cause() instanceof TimeoutException) {
                    answer.onSuccess(r -> undo(counters, deltas));
                }
                return Future.failedFuture(ar.cause());
            }
            long[] values = new long[batch.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ar.result().get(i).toLong();
            }
            ledger.replayed(batch, values, clock.millis());
            return Future.succeededFuture(batch.size());
        });
    }

    /** What Redis Cluster hashes for a key: the first non-empty {@code {...}} part, else the whole key. */
    static String hashTag(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }

    private List<String> keys(List<BudgetCounter> counters) {
        List<String> keys = new ArrayList<>(counters.size());
        for (BudgetCounter c : counters) {
            keys.add(prefix + c.id());
        }
        return keys;
    }

    /**
     * Redis applied something after the gateway had given up waiting and counted it locally:
     * subtract it again (through Redis, or the ledger while Redis is still away) so it counts once.
     */
    private void undo(List<BudgetCounter> counters, long[] amounts) {
        long[] negated = new long[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            negated[i] = -amounts[i];
        }
        log.debug("budget store: Redis answered after the timeout; undoing the duplicate count on {}", counters);
        adjust(counters, negated);
    }

    private static long[] minusOnes(int n) {
        long[] values = new long[n];
        Arrays.fill(values, -1);
        return values;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public Future<Void> close() {
        closed = true;
        int left = ledger.unconfirmed();
        if (left > 0) {
            log.warn("budget store: closing with {} counter debit(s) Redis at {} has not confirmed", left, endpoint);
        }
        return (census == null ? Future.<Void>succeededFuture() : census.close()).eventually(redis::close);
    }
}
