package io.agentgateway.mcp;

import io.agentgateway.config.McpServerConfig.Isolation;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A stdio or legacy SSE server with one connection (one process, for stdio) per downstream
 * session or per caller namespace ({@code isolation}), so tenants never share the server's state.
 * Per session: {@code initialize} starts a connection whose key becomes the server's session id,
 * sealed in the downstream session id like a Streamable HTTP server's; a session whose connection
 * is gone (ended, reaped, or on another replica) is over (404, the client initialises again).
 * Per namespace: the caller's namespace picks the connection, started on first use on each
 * replica. At most {@code max_connections} per replica: a new one first reaps idle ones, else is
 * refused; connections unused for {@code idle_timeout} with no call in flight are stopped.
 *
 * <p>Thread-safe: the map is guarded by {@code this}.
 */
final class ChannelPool implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(ChannelPool.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final Duration timeout;
    private final Isolation isolation;
    private final int max;
    private final Duration idle;
    private final Clock clock;
    private final Supplier<Channel> channels;
    private final Map<String, Entry> live = new LinkedHashMap<>();
    private boolean closed;

    private static final class Entry {
        final Channel channel;
        long lastUsed;

        Entry(Channel channel, long lastUsed) {
            this.channel = channel;
            this.lastUsed = lastUsed;
        }
    }

    /** @param channels creates and starts one connection */
    ChannelPool(String name, Duration timeout, Isolation isolation, int max, Duration idle, Clock clock, Supplier<Channel> channels) {
        this.name = name;
        this.timeout = timeout;
        this.isolation = isolation;
        this.max = max;
        this.idle = idle;
        this.clock = clock;
        this.channels = channels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Future<Initialized> initialize(Call call, Message initialize) {
        String key = isolation == Isolation.SESSION ? newKey() : tenantKey(call);
        Channel c;
        try {
            c = acquire(key);
        } catch (JsonRpcException e) {
            return Future.failedFuture(e);
        }
        return c.initialize(call, initialize)
                .map(init -> new Initialized(init.response(), isolation == Isolation.SESSION ? key : null))
                .onFailure(e -> {
                    if (isolation == Isolation.SESSION) {
                        stop(key);
                    }
                });
    }

    @Override
    public Future<Message> request(Call call, Message request, Consumer<Message> related) {
        return channel(call).compose(c -> c.request(call, request, related).andThen(ar -> touch(call)));
    }

    @Override
    public Future<Void> deliver(Call call, Message message) {
        return channel(call).compose(c -> c.deliver(call, message));
    }

    @Override
    public Future<Listening> listen(Call call, String lastEventId, StreamMessages messages) {
        return channel(call).compose(c -> c.listen(call, lastEventId, messages));
    }

    /** The call's connection; fails when its session's connection is gone, or none can be started (the limit). */
    private Future<Channel> channel(Call call) {
        try {
            Channel c = find(call);
            return c == null ? Future.failedFuture(gone()) : Future.succeededFuture(c);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public Future<Void> terminate(Call call) {
        if (isolation == Isolation.SESSION && call.upstreamSession() != null) {
            stop(call.upstreamSession());
        }
        return Future.succeededFuture();
    }

    /**
     * The connection a call uses (touched as used now); null when its session's connection is gone.
     * Per namespace, a namespace whose connection is not running gets one, or the limit error: its
     * session is still good, so that is not a "session not found".
     */
    private Channel find(Call call) {
        if (isolation == Isolation.NAMESPACE) {
            return acquire(tenantKey(call));
        }
        String key = call.upstreamSession();
        synchronized (this) {
            Entry e = key == null ? null : live.get(key);
            if (e == null) {
                return null;
            }
            e.lastUsed = now();
            return e.channel;
        }
    }

    private void touch(Call call) {
        String key = isolation == Isolation.NAMESPACE ? tenantKey(call) : call.upstreamSession();
        synchronized (this) {
            Entry e = key == null ? null : live.get(key);
            if (e != null) {
                e.lastUsed = now();
            }
        }
    }

    /**
     * The connection for {@code key}, started when there is none; refused with {@link #full()} when
     * the pool is full of busy ones.
     */
    private Channel acquire(String key) {
        List<Channel> reaped = new ArrayList<>();
        Channel c;
        synchronized (this) {
            if (closed) {
                throw new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " was removed from the configuration");
            }
            Entry e = live.get(key);
            if (e != null) {
                e.lastUsed = now();
                return e.channel;
            }
            if (live.size() >= max) {
                reaped.addAll(idle(now()));
            }
            if (live.size() >= max) {
                throw full();
            }
            c = channels.get();
            live.put(key, new Entry(c, now()));
        }
        reaped.forEach(Channel::close);
        log.debug("MCP server {}: started a connection for a {} ({} running)", name, isolation.name().toLowerCase(java.util.Locale.ROOT), size());
        return c;
    }

    /** Removes and returns the connections unused for {@code idle_timeout} or more, without a call in flight. */
    private List<Channel> idle(long now) {
        List<Channel> out = new ArrayList<>();
        for (var it = live.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            boolean stale = now - e.lastUsed >= idle.toSeconds();
            if (stale && !e.channel.busy()) {
                out.add(e.channel);
                it.remove();
            }
        }
        return out;
    }

    /** Stops connections unused for {@code idle_timeout} with no call in flight. */
    void sweep() {
        List<Channel> stale;
        synchronized (this) {
            stale = idle(now());
        }
        if (!stale.isEmpty()) {
            log.info("MCP server {}: stopped {} connection(s) idle for {}s or more", name, stale.size(), idle.toSeconds());
        }
        stale.forEach(Channel::close);
    }

    private void stop(String key) {
        Entry e;
        synchronized (this) {
            e = live.remove(key);
        }
        if (e != null) {
            e.channel.close();
        }
    }

    synchronized int size() {
        return live.size();
    }

    private final List<Channel> stopping = new ArrayList<>();

    /** Stops every connection for good (the server left the configuration, or shutdown); does not wait. */
    void close() {
        List<Channel> all;
        synchronized (this) {
            closed = true;
            all = live.values().stream().map(e -> e.channel).toList();
            live.clear();
            stopping.addAll(all);
        }
        all.forEach(Channel::close);
    }

    /** Waits (blocking, up to {@code millis} in all) until the connections {@link #close()} stopped are gone. */
    void awaitClosed(long millis) {
        List<Channel> all;
        synchronized (this) {
            all = List.copyOf(stopping);
        }
        all.forEach(c -> c.awaitClosed(millis / Math.max(1, all.size())));
    }

    private String tenantKey(Call call) {
        return "ns:" + (call.tenant() == null ? "-" : call.tenant());
    }

    private static String newKey() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "c-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /**
     * No connection can be started: the server's limit, named, as a 503 the client may retry
     * (a connection frees up when a session ends or one goes idle).
     */
    private GatewayError full() {
        String unit = isolation == Isolation.SESSION ? "session" : "namespace";
        return new GatewayError(ErrorKind.UNAVAILABLE, 503, "max_connections_reached", "Service Unavailable: MCP server " + name
                + " has reached max_connections (" + max + ") on this replica: every " + unit + " connection is in use and none has been "
                + "idle for idle_timeout (" + idle.toSeconds() + "s); end a session, retry later, or raise mcp.servers[].max_connections",
                null, null).header("Retry-After", String.valueOf(Math.max(1, Math.min(idle.toSeconds(), 60))));
    }

    private SessionGone gone() {
        return new SessionGone("MCP server " + name + " no longer runs this session's connection (ended, idle for longer than "
                + "idle_timeout, or started on another replica)");
    }
}
