package io.agentgateway.mcp;

import io.agentgateway.config.McpServerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The upstream MCP connections that outlive a config reload: a server whose configuration did
 * not change keeps its process (stdio) or event stream (legacy SSE) across reloads; a server that
 * left the configuration, or whose configuration changed, is stopped. Also holds what MCP
 * sessions need for the life of the process: the fallback session key and what this replica knows of
 * sessions (last use, ended). One per process (in {@code GatewayServices}); {@link #close()} at shutdown.
 *
 * <p>Thread-safe.
 */
public final class McpUpstreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(McpUpstreams.class);

    private static final long SWEEP_MS = 30_000;

    private final Vertx vertx;
    private final Clock clock;
    private final Function<String, String> env;
    private final byte[] fallbackKey = SessionCodec.randomKey();
    private final SessionStates sessions = new SessionStates();
    private final ServerStreams streams;
    private final long sweeper;
    private Object endsKey;
    private SharedSessionEnds ends;
    private final LegacySessions legacy = new LegacySessions();
    private final Map<Key, Upstream> live = new HashMap<>();
    private HttpClient sseClient;
    private boolean warnedKey;
    private boolean closed;

    /** What identifies a running upstream: its config, and the folder its relative working_dir resolves against. */
    private record Key(McpServerConfig config, Path baseDir) {
    }

    public McpUpstreams(Vertx vertx, Clock clock, Function<String, String> env) {
        this.vertx = vertx;
        this.clock = clock;
        this.env = env;
        this.streams = new ServerStreams(clock);
        // One timer for the process (not per session): closes the server streams of idle sessions.
        this.sweeper = vertx.setPeriodic(SWEEP_MS, t -> sweep());
    }

    /**
     * The upstreams for {@code servers}, by name, reusing those whose config is unchanged and
     * stopping the rest. Called once per successfully compiled config.
     *
     * @param demoUrl where the built-in demo server answers (for {@code transport: demo}), or null when it is not running
     */
    synchronized Map<String, Upstream> sync(List<McpServerConfig> servers, Path baseDir, String demoUrl) {
        if (closed) {
            // The gateway is stopping: a config activated now must start nothing that would outlive it.
            throw new IllegalStateException("the MCP upstreams are closed: the gateway is stopping");
        }
        Map<Key, Upstream> keep = new HashMap<>();
        Map<String, Upstream> byName = new LinkedHashMap<>();
        for (McpServerConfig s : servers) {
            Key key = new Key(s, s.transport() == McpServerConfig.Transport.STDIO ? baseDir : null);
            Upstream u = live.remove(key);
            if (u == null) {
                u = create(s, baseDir, demoUrl);
            }
            keep.put(key, u);
            byName.put(s.name(), u);
        }
        for (Upstream gone : live.values()) {
            if (gone instanceof Channel || gone instanceof ChannelPool) {
                log.info("MCP server {} left the configuration (or changed): stopping it", gone.name());
            }
            if (gone instanceof Channel c) {
                c.close();
            } else if (gone instanceof ChannelPool p) {
                p.close();
            }
        }
        live.clear();
        live.putAll(keep);
        return byName;
    }

    private Upstream create(McpServerConfig s, Path baseDir, String demoUrl) {
        if (s.transport() == McpServerConfig.Transport.DEMO) {
            // The demo server speaks Streamable HTTP: reached like any other such server.
            return new HttpUpstream(vertx, new McpServerConfig(s.name(), s.transport(),
                    Objects.requireNonNull(demoUrl, "the demo MCP server is not running"), s.headers(), s.command(), s.env(),
                    s.workingDir(), s.timeout(), s.connectionPool(), s.isolation(), s.maxConnections(), s.idleTimeout()));
        }
        Supplier<Channel> channels = switch (s.transport()) {
            case STREAMABLE_HTTP, DEMO -> null;
            case SSE -> () -> started(new Channel(vertx, clock, s.name(), s.timeout(), () -> new SseTransport(vertx, sseClient(), s)));
            case STDIO -> {
                Path dir = s.workingDir() == null ? null : baseDir == null ? Path.of(s.workingDir()) : baseDir.resolve(s.workingDir());
                yield () -> started(new Channel(vertx, clock, s.name(), s.timeout(), () -> new StdioTransport(vertx, s, dir, env)));
            }
        };
        if (channels == null) {
            return new HttpUpstream(vertx, s);
        }
        if (s.isolation() == McpServerConfig.Isolation.SHARED) {
            return channels.get();
        }
        return new ChannelPool(s.name(), s.timeout(), s.isolation(), s.maxConnections(), s.idleTimeout(), clock, channels);
    }

    private static Channel started(Channel c) {
        c.start();
        return c;
    }

    private HttpClient sseClient() {
        synchronized (this) {
            if (sseClient == null) {
                sseClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setName("mcp-sse-upstreams"),
                        new PoolOptions().setHttp1MaxSize(64));
            }
            return sseClient;
        }
    }

    /** The random key that seals sessions when {@code mcp.session_key_secret} is not set (warned about once). */
    synchronized byte[] fallbackKey() {
        if (!warnedKey) {
            warnedKey = true;
            log.warn("mcp.session_key_secret is not set: MCP session ids are sealed with a random key of this process, "
                    + "so sessions will not move to another replica or survive a restart");
        }
        return fallbackKey;
    }

    /** Closes the server streams of idle sessions and stops idle per-session and per-namespace connections. */
    private void sweep() {
        streams.sweep();
        List<ChannelPool> pools;
        synchronized (this) {
            pools = live.values().stream().filter(u -> u instanceof ChannelPool).map(u -> (ChannelPool) u).toList();
        }
        pools.forEach(ChannelPool::sweep);
    }

    /**
     * The shared record of ended sessions for {@code store} (null for a {@code memory} store),
     * kept across reloads that leave the store unchanged.
     */
    synchronized SharedSessionEnds sharedEnds(io.agentgateway.config.RateLimitStoreConfig store, io.agentgateway.secret.SecretRef password) {
        Object key = store.type() == io.agentgateway.config.RateLimitStoreConfig.StoreType.REDIS ? store : null;
        if (java.util.Objects.equals(key, endsKey)) {
            return ends;
        }
        if (ends != null) {
            SharedSessionEnds old = ends;
            vertx.setTimer(60_000, t -> old.close());
        }
        endsKey = key;
        ends = key == null ? null : new SharedSessionEnds(vertx, io.agentgateway.budget.RedisClients.create(vertx, store, password),
                store.keyPrefix(), store.timeout().toMillis());
        return ends;
    }

    ServerStreams streams() {
        return streams;
    }

    SessionStates sessions() {
        return sessions;
    }

    LegacySessions legacy() {
        return legacy;
    }

    /** Stops every server; blocks (a few seconds at most) until stdio processes have exited: call at shutdown. */
    @Override
    public synchronized void close() {
        vertx.cancelTimer(sweeper);
        closed = true;
        List<Channel> channels = live.values().stream().filter(u -> u instanceof Channel).map(u -> (Channel) u).toList();
        List<ChannelPool> pools = live.values().stream().filter(u -> u instanceof ChannelPool).map(u -> (ChannelPool) u).toList();
        channels.forEach(Channel::close);
        pools.forEach(ChannelPool::close);
        long each = 5000 / Math.max(1, channels.size() + pools.size());
        channels.forEach(c -> c.awaitClosed(each));
        pools.forEach(p -> p.awaitClosed(each));
        live.clear();
        if (ends != null) {
            ends.close();
        }
        if (sseClient != null) {
            sseClient.close();
        }
    }
}
