package io.agentgateway.budget;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * How a Redis store talks to Redis: scripts by {@code EVALSHA} with an {@code EVAL} fallback,
 * every command sent from a Vert.x context (the client needs one: sent from a plain thread it
 * failed under the OpenTelemetry tracer), answers bounded by a timeout, and results handed back
 * to the calling request's event loop. Thread-safe.
 */
final class RedisCommands {
    private final Vertx vertx;
    private final Redis redis;
    private final long timeoutMillis;

    RedisCommands(Vertx vertx, Redis redis, long timeoutMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.timeoutMillis = timeoutMillis;
    }

    /** Runs a script; the answer may take any time (see {@link #bounded}). */
    Future<Response> eval(RedisScripts.Script script, List<String> keys, long[] args) {
        return send(script.evalsha(keys, args))
                .recover(e -> RedisScripts.isNoScript(e) ? send(script.eval(keys, args)) : Future.failedFuture(e));
    }

    /** Runs a script with string arguments (not for the hot path, which sends numbers). */
    Future<Response> eval(RedisScripts.Script script, List<String> keys, List<String> args) {
        return send(script.evalsha(keys, args))
                .recover(e -> RedisScripts.isNoScript(e) ? send(script.eval(keys, args)) : Future.failedFuture(e));
    }

    /** {@code MGET}: the values of {@code keys}, null for a key that does not exist. */
    Future<Response> mget(List<String> keys) {
        Request request = Request.cmd(Command.MGET);
        keys.forEach(request::arg);
        return send(request);
    }

    Future<Response> ping() {
        return send(Request.cmd(Command.PING));
    }

    Future<Response> send(Request request) {
        Context context = Vertx.currentContext();
        if (context != null && context.owner() == vertx) {
            return redis.send(request);
        }
        Promise<Response> result = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> redis.send(request).onComplete(ar -> complete(result, ar.succeeded(),
                ar.result(), ar.cause())));
        return result.future();
    }

    /** {@code answer}, or a {@link TimeoutException} once the timeout has passed without one. */
    Future<Response> bounded(Future<Response> answer) {
        Promise<Response> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMillis, t -> result.tryFail(
                new TimeoutException("no answer within " + timeoutMillis + "ms")));
        answer.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                result.tryComplete(ar.result());
            } else {
                result.tryFail(ar.cause());
            }
        });
        return result.future();
    }

    /** Delivers a result on the calling request's event loop, whichever thread the Redis client answered on. */
    static <T> Future<T> onCaller(Future<T> future) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return future;
        }
        Promise<T> back = Promise.promise();
        future.onComplete(ar -> {
            if (Vertx.currentContext() == caller) {
                complete(back, ar.succeeded(), ar.result(), ar.cause());
            } else {
                caller.runOnContext(v -> complete(back, ar.succeeded(), ar.result(), ar.cause()));
            }
        });
        return back.future();
    }

    private static <T> void complete(Promise<T> p, boolean ok, T value, Throwable cause) {
        if (ok) {
            p.complete(value);
        } else {
            p.fail(cause);
        }
    }

    Future<Void> close() {
        return redis.close();
    }
}
