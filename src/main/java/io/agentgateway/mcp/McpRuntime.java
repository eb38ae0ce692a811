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

    private McpRuntime(Map<String, Upstream> servers, SessionCodec codec, McpUpstreams upstreams, List<String> issuers, Clock clock) {
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
     * @param sessionKey the resolved {@code mcp.session_key_secret}, or null when not configured
     * @param demoUrl    the running demo MCP server's endpoint, or null when it is not running
     */
    public static McpRuntime compile(GatewayConfig config, Path baseDir, SecretRef sessionKey, McpUpstreams upstreams,
                                     String demoUrl, Clock clock) {
        boolean serving = config.listeners().stream().anyMatch(l -> l.protocol() == ListenerConfig.Protocol.MCP);
        // Without an MCP listener nothing may call the servers: start no process for them.
        Map<String, Upstream> servers = upstreams.sync(serving ? config.mcp().servers() : List.of(), baseDir, demoUrl);
        SessionCodec codec = sessionKey != null ? new SessionCodec(sessionKey, new byte[0])
                : new SessionCodec(null, serving ? upstreams.fallbackKey() : SessionCodec.randomKey());
        List<String> issuers = config.security().authentication().effectiveMethods().stream()
                .filter(m -> m.type() == AuthMethodConfig.Type.JWT && m.issuer() != null)
                .map(AuthMethodConfig::issuer).distinct().toList();
        return new McpRuntime(java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servers)), codec, upstreams, issuers, clock);
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

    TerminatedSessions terminated() {
        return upstreams.terminated();
    }

    LegacySessions legacy() {
        return upstreams.legacy();
    }

    /** The {@code authorization_servers} of the protected resource metadata: the jwt methods' issuers. */
    List<String> issuers() {
        return issuers;
    }

    Clock clock() {
        return clock;
    }
}
