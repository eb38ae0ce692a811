package io.agentgateway.mcp;

import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.secret.SecretRef;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mcp} section compiled: the upstream servers by name (in config order), the session
 * codec, and the issuers named in protected resource metadata. Built once per config; the
 * upstream connections behind it live in {@link McpUpstreams} and survive reloads.
 *
 * <p>Immutable and thread-safe.
 */
public final class McpRuntime {
    private final Map<String, Upstream> servers;
    private final SessionCodec codec;
    private final McpUpstreams upstreams;
    private final List<String> issuers;
    private final Clock clock;
    private final OriginCheck origins;
    private final java.time.Duration idleTimeout;
    private final java.time.Duration maxLifetime;
    private final SharedSessionEnds ends;

    private McpRuntime(Map<String, Upstream> servers, SessionCodec codec, McpUpstreams upstreams, List<String> issuers, Clock clock,
                       OriginCheck origins, java.time.Duration idleTimeout, java.time.Duration maxLifetime, SharedSessionEnds ends) {
        this.ends = ends;
        this.origins = origins;
        this.idleTimeout = idleTimeout;
        this.maxLifetime = maxLifetime;
        this.servers = servers;
        this.codec = codec;
        this.upstreams = upstreams;
        this.issuers = issuers;
        this.clock = clock;
    }

    /**
     * Compiles the section and brings the upstreams in line with it (starting new stdio servers,
     * stopping removed ones). Call only for a config that is otherwise valid: it has effects.
     *
     * @param sessionKey    the resolved {@code mcp.session_key_secret}, or null when not configured
     * @param storePassword the {@code rate_limit_store} password's secret, or null
     * @param demoUrl       the running demo MCP server's endpoint, or null when it is not running
     */
    public static McpRuntime compile(GatewayConfig config, Path baseDir, SecretRef sessionKey, SecretRef storePassword,
                                     McpUpstreams upstreams, String demoUrl, Clock clock) {
        boolean serving = config.listeners().stream().anyMatch(l -> l.protocol() == ListenerConfig.Protocol.MCP);
        // Without an MCP listener nothing may call the servers: start no process for them.
        Map<String, Upstream> servers = upstreams.sync(serving ? config.mcp().servers() : List.of(), baseDir, demoUrl);
        SessionCodec codec = sessionKey != null ? new SessionCodec(sessionKey, new byte[0])
                : new SessionCodec(null, serving ? upstreams.fallbackKey() : SessionCodec.randomKey());
        List<String> issuers = config.security().authentication().effectiveMethods().stream()
                .filter(m -> m.type() == AuthMethodConfig.Type.JWT && m.issuer() != null)
                .map(AuthMethodConfig::issuer).distinct().toList();
        return new McpRuntime(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servers)), codec, upstreams, issuers, clock,
                OriginCheck.of(config.mcp()), config.mcp().sessionIdleTimeout(), config.mcp().sessionMaxLifetime(),
                serving ? upstreams.sharedEnds(config.rateLimitStore(), storePassword) : null);
    }

    /** MCP method names that are counted by name in metrics; the rest are {@code other}. */
    public static Set<String> knownMethods() {
        return Methods.KNOWN;
    }

    Upstream server(String name) {
        return servers.get(name);
    }

    /** Server names in config order. */
    List<String> serverNames() {
        return List.copyOf(servers.keySet());
    }

    SessionCodec codec() {
        return codec;
    }

    ServerStreams streams() {
        return upstreams.streams();
    }

    /** Ended sessions shared by every replica, or null without a shared store. */
    SharedSessionEnds sharedEnds() {
        return ends;
    }

    SessionStates sessions() {
        return upstreams.sessions();
    }

    /** A new session issued now to {@code principal}, with the configured lifetime. */
    McpSession newSession(String principal, String route, String version, Map<String, String> upstreamSessions) {
        long now = clock.instant().getEpochSecond();
        return new McpSession(principal, route, version, upstreamSessions, now, now + maxLifetime.toSeconds(), idleTimeout.toSeconds());
    }

    LegacySessions legacy() {
        return upstreams.legacy();
    }

    /** The {@code authorization_servers} of the protected resource metadata: the jwt methods' issuers. */
    List<String> issuers() {
        return issuers;
    }

    OriginCheck origins() {
        return origins;
    }

    Clock clock() {
        return clock;
    }
}
