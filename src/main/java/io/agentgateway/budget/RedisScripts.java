package io.agentgateway.budget;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The two Lua scripts a Redis store runs, each atomic on the server: one per reservation (every
 * applicable counter checked, then all incremented or none) and one per settlement or replay
 * (deltas added, never below zero). Keys get an expiry at their window's end the first time they
 * are written; the time left is computed from the gateway's clock and sent as a relative TTL, so
 * a skew between the gateway's and Redis's clocks cannot expire a key early. Sent as
 * {@code EVALSHA}, falling back to {@code EVAL} when Redis does not have the script cached
 * (after a restart). Needs Redis 6.0 or later ({@code SET ... KEEPTTL}).
 */
final class RedisScripts {
    /** KEYS: counters; ARGV: amount, limit, ttl in ms for each. Returns {granted, value...}. */
    static final Script RESERVE = new Script("""
            local n = #KEYS
            local values = {}
            local granted = 1
            for i = 1, n do
              local v = tonumber(redis.call('GET', KEYS[i]) or '0')
              local amount = tonumber(ARGV[3 * i - 2])
              local limit = tonumber(ARGV[3 * i - 1])
              values[i] = v
              if v >= limit or v + amount > limit then granted = 0 end
            end
            if granted == 1 then
              for i = 1, n do
                values[i] = redis.call('INCRBY', KEYS[i], ARGV[3 * i - 2])
                if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[3 * i]) end
              end
            end
            table.insert(values, 1, granted)
            return values
            """);

    /** KEYS: counters; ARGV: delta, ttl in ms for each. Returns the new values. */
    static final Script ADJUST = new Script("""
            local values = {}
            for i = 1, #KEYS do
              local v = redis.call('INCRBY', KEYS[i], ARGV[2 * i - 1])
              if v < 0 then
                redis.call('SET', KEYS[i], 0, 'KEEPTTL')
                v = 0
              end
              if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
              values[i] = v
            end
            return values
            """);

    private RedisScripts() {
    }

    /** A script and its SHA-1, as {@code EVALSHA} names it. */
    record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }

        Request evalsha(List<String> keys, long[] args) {
            return fill(Request.cmd(Command.EVALSHA).arg(sha), keys, args);
        }

        Request eval(List<String> keys, long[] args) {
            return fill(Request.cmd(Command.EVAL).arg(source), keys, args);
        }

        Request evalsha(List<String> keys, List<String> args) {
            return fill(Request.cmd(Command.EVALSHA).arg(sha), keys, args);
        }

        Request eval(List<String> keys, List<String> args) {
            return fill(Request.cmd(Command.EVAL).arg(source), keys, args);
        }

        private static Request fill(Request r, List<String> keys, List<String> args) {
            r.arg(keys.size());
            keys.forEach(r::arg);
            args.forEach(r::arg);
            return r;
        }

        private static Request fill(Request r, List<String> keys, long[] args) {
            r.arg(keys.size());
            keys.forEach(r::arg);
            for (long a : args) {
                r.arg(a);
            }
            return r;
        }
    }

    static boolean isNoScript(Throwable e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
