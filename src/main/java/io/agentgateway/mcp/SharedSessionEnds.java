package io.agentgateway.mcp;

import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Ended MCP sessions as every replica sees them, through the shared store
 * ({@code rate_limit_store} of type {@code redis}): ending a session writes
 * {@code PREFIX mcp:ended:HASH} until the session would have expired anyway; every use of a
 * session on any replica asks for it. The key holds a SHA-256 of the session id, never the id.
 * When the store cannot be reached within its timeout, a session is taken as not ended elsewhere
 * (logged once per outage): ending still holds on the replica that ended it.
 *
 * <p>Thread-safe; futures complete on the caller's context.
 */
final class SharedSessionEnds implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SharedSessionEnds.class);

    private final Vertx vertx;
    private final Redis redis;
    private final String prefix;
    private final long timeoutMillis;
    private volatile boolean warned;

    SharedSessionEnds(Vertx vertx, Redis redis, String prefix, long timeoutMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = prefix;
        this.timeoutMillis = Math.max(1, timeoutMillis);
    }

    /** Records {@code id} as ended for {@code ttlMillis}. */
    Future<Void> end(String id, long ttlMillis) {
        return send(Request.cmd(Command.SET).arg(key(id)).arg("1").arg("PX").arg(Math.max(1, ttlMillis))).mapEmpty();
    }

    /** Whether any replica ended {@code id}; false when the store does not answer. */
    Future<Boolean> ended(String id) {
        return send(Request.cmd(Command.EXISTS).arg(key(id))).map(r -> r != null && r.toLong() > 0).otherwise(e -> {
            if (!warned) {
                warned = true;
                log.warn("the shared store does not answer ({}): MCP sessions ended on other replicas are not refused here until it does",
                        e.getMessage());
            }
            return false;
        }).andThen(ar -> {
            if (ar.succeeded() && warned) {
                warned = false;
            }
        });
    }

    private Future<io.vertx.redis.client.Response> send(Request request) {
        Context caller = Vertx.currentContext();
        Promise<io.vertx.redis.client.Response> result = Promise.promise();
        Runnable go = () -> redis.send(request).onComplete(ar -> {
            if (ar.succeeded()) {
                result.tryComplete(ar.result());
            } else {
                result.tryFail(ar.cause());
            }
        });
        if (caller != null && caller.owner() == vertx) {
            go.run();
        } else {
            vertx.getOrCreateContext().runOnContext(v -> go.run());
        }
        Deadlines.Deadline deadline = (caller != null ? Deadlines.of(caller) : Deadlines.of(vertx)).watch(timeoutMillis,
                () -> result.tryFail(new java.util.concurrent.TimeoutException("no answer within " + timeoutMillis + "ms")));
        Promise<io.vertx.redis.client.Response> back = Promise.promise();
        result.future().onComplete(ar -> {
            deadline.cancel();
            Runnable done = () -> {
                if (ar.succeeded()) {
                    back.tryComplete(ar.result());
                } else {
                    back.tryFail(ar.cause());
                }
            };
            if (caller == null || Vertx.currentContext() == caller) {
                done.run();
            } else {
                caller.runOnContext(v -> done.run());
            }
        });
        return back.future();
    }

    private String key(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
            return prefix + "mcp:ended:" + Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        redis.close();
    }
}
