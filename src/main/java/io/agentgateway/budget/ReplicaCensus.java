package io.agentgateway.budget;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;

/**
 * How many gateway replicas share a Redis store, so that under {@code fail_open} each can hold
 * itself to its share while Redis is away. Every replica beats in one sorted set in Redis (member:
 * a random id per store, score: Redis's own clock, so the replicas' clocks do not matter); beats
 * older than {@link #TTL_MILLIS} drop out, and the count of those left is remembered. While Redis
 * is unreachable the last count stands. Until a first beat has been answered the count is 1.
 *
 * <p>One beat every {@link #EVERY_MILLIS} per store (not per request). Thread-safe; {@link #close}
 * stops the beats and takes this replica out of the set.
 */
final class ReplicaCensus {
    private static final Logger log = LoggerFactory.getLogger(ReplicaCensus.class);
    static final long EVERY_MILLIS = 5000;
    static final long TTL_MILLIS = 3 * EVERY_MILLIS;

    /** KEYS: the set; ARGV: member, ttl ms. Adds the beat, drops stale ones, returns how many are live. */
    private static final RedisScripts.Script BEAT = new RedisScripts.Script("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return redis.call('ZCARD', KEYS[1])
            """);

    private final Vertx vertx;
    private final RedisCommands redis;
    private final String key;
    private final String member = UUID.randomUUID().toString();
    private final long timer;
    private volatile int live = 1;
    private volatile boolean closed;

    /** Starts beating at once, then every {@link #EVERY_MILLIS}. */
    ReplicaCensus(Vertx vertx, RedisCommands redis, String key) {
        this.vertx = vertx;
        this.redis = redis;
        this.key = key;
        beat();
        this.timer = vertx.setPeriodic(EVERY_MILLIS, t -> beat());
    }

    private void beat() {
        if (closed) {
            return;
        }
        redis.bounded(redis.eval(BEAT, List.of(key), List.of(member, Long.toString(TTL_MILLIS)))).onComplete(ar -> {
            if (ar.succeeded()) {
                int now = Math.max(1, ar.result().toInteger());
                if (now != live) {
                    log.info("budget store: {} gateway replica(s) share this Redis; under fail_open each may use 1/{} "
                            + "of a budget's headroom while Redis is away", now, now);
                }
                live = now;
            } else {
                log.debug("budget store: replica heartbeat failed ({}); keeping the last count, {}", ar.cause().toString(), live);
            }
        });
    }

    /** Replicas alive when Redis last answered a beat, this one included; at least 1. */
    int live() {
        return live;
    }

    /** Stops beating and leaves the set (at once, rather than after {@link #TTL_MILLIS}); never fails. */
    Future<Void> close() {
        closed = true;
        vertx.cancelTimer(timer);
        return redis.bounded(redis.send(Request.cmd(Command.ZREM).arg(key).arg(member))).<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }
}
