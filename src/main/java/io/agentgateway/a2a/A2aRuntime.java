package io.agentgateway.a2a;

import io.agentgateway.a2a.demo.DemoAgentServer;
import io.agentgateway.config.A2aAgentConfig;
import io.agentgateway.config.A2aConfig;
import io.agentgateway.config.A2aRuleConfig;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.config.PolicyConfig;
import io.agentgateway.config.PrincipalSelector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.policy.A2aRules;
import io.vertx.core.http.HttpServerRequest;

import java.time.Clock;
import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.ConnectionGates;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code a2a} section compiled once per config: the agent registry, the source->target rules,
 * the card cache, the gateway's external address and each A2A listener's trusted proxies.
 * Shared by all event loops of a runtime; a reload compiles a new one (and so starts with an
 * empty card cache).
 *
 * <p>Immutable apart from the card cache, which is thread-safe.
 */
public final class A2aRuntime {
    /** Longest gap between SSE keep-alive comments, whatever the listener's idle timeout. */
    private static final long MAX_KEEP_ALIVE_MILLIS = 15_000;

    private final AgentRegistry registry;
    private final A2aRules rules;
    private final CardCache cards;
    private final ExternalAddress address;
    private final Map<String, CidrSet> trustedProxies;
    private final Duration timeout;
    private final Duration streamTimeout;
    private final Set<String> agentNames;
    private final Set<String> listedIds;
    private final ConnectionGate.Limits agentPool;
    private final List<A2aAgentConfig> demoAgents;
    private final CardSigner signer;

    private A2aRuntime(AgentRegistry registry, A2aRules rules, CardCache cards, ExternalAddress address,
                       Map<String, CidrSet> trustedProxies, Duration timeout, Duration streamTimeout, Set<String> agentNames,
                       Set<String> listedIds, ConnectionGate.Limits agentPool, CardSigner signer, List<A2aAgentConfig> demoAgents) {
        this.signer = signer;
        this.registry = registry;
        this.rules = rules;
        this.cards = cards;
        this.address = address;
        this.trustedProxies = Map.copyOf(trustedProxies);
        this.timeout = timeout;
        this.streamTimeout = streamTimeout;
        this.agentNames = Set.copyOf(agentNames);
        this.listedIds = Set.copyOf(listedIds);
        this.agentPool = agentPool;
        this.demoAgents = List.copyOf(demoAgents);
    }

    /**
     * Compiles the {@code a2a} section of a config the validator accepted. Problems only compiling
     * finds (an unsafe {@code default_url}) are added to {@code errors} with their key path.
     * Demo agents ({@code demo: true}) are reachable only once {@link #withDemoAgents} has been told
     * where their server runs.
     *
     * @param cardKeys what re-signs the cards of agents that signed theirs
     */
    public static A2aRuntime compile(GatewayConfig config, Clock clock, CardKeys cardKeys, List<ConfigError> errors) {
        A2aConfig a2a = config.a2a();
        Map<String, AgentEndpoint> listed = new HashMap<>();
        List<A2aAgentConfig> demo = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < a2a.agents().size(); i++) {
            A2aAgentConfig a = a2a.agents().get(i);
            names.add(a.name());
            String url = a.url();
            if (a.demo()) {
                // Known when activation has started their server (withDemoAgents).
                demo.add(a);
                continue;
            } else if (url == null) {
                if (a2a.defaultUrl().isEmpty()) {
                    errors.add(new ConfigError("a2a.agents[" + i + "].url", "is required when a2a.default_url is \"\""));
                    continue;
                }
                url = a2a.defaultUrl().replace("{namespace}", a.namespace()).replace("{name}", a.name());
            }
            if (url.contains("@")) {
                errors.add(new ConfigError("a2a.agents[" + i + "].url",
                        "must not carry credentials; send them with a2a.agents[" + i + "].headers"));
                continue;
            }
            listed.put(a.namespace() + "/" + a.name(), AgentEndpoint.of(a.namespace(), a.name(), url, a.headers()));
        }
        UrlTemplate convention = null;
        if (!a2a.defaultUrl().isEmpty()) {
            try {
                convention = UrlTemplate.compile(a2a.defaultUrl());
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError("a2a.default_url", e.getMessage()));
            }
        }
        Map<String, CidrSet> proxies = new HashMap<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            try {
                proxies.put(l.name(), CidrSet.of(l.trustedProxies()));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError("listeners[" + i + "].trusted_proxies", e.getMessage()));
            }
        }
        return new A2aRuntime(new AgentRegistry(listed, convention, namespacesNamed(config)),
                new A2aRules(a2a.authorization()), new CardCache(a2a.cardCacheTtl(), clock),
                new ExternalAddress(a2a.publicUrl()), proxies, a2a.timeout(), a2a.streamTimeout(), names,
                listed.keySet(), ConnectionGate.Limits.of(a2a.connectionPool()), new CardSigner(cardKeys), demo);
    }

    /** Whether the section lists demo agents (whose server activation must start). */
    public boolean hasDemoAgents() {
        return !demoAgents.isEmpty();
    }

    /**
     * This runtime with the demo agents reachable at the server started at {@code baseUrl}; this
     * very runtime when it has none.
     */
    public A2aRuntime withDemoAgents(String baseUrl) {
        if (demoAgents.isEmpty()) {
            return this;
        }
        Map<String, AgentEndpoint> demo = new HashMap<>();
        for (A2aAgentConfig a : demoAgents) {
            demo.put(a.namespace() + "/" + a.name(), AgentEndpoint.of(a.namespace(), a.name(),
                    DemoAgentServer.agentUrl(Objects.requireNonNull(baseUrl, "the demo agents are not running"),
                            a.namespace(), a.name()), a.headers()));
        }
        Set<String> ids = new HashSet<>(listedIds);
        ids.addAll(demo.keySet());
        return new A2aRuntime(registry.with(demo), rules, cards, address, trustedProxies, timeout, streamTimeout,
                agentNames, ids, agentPool, signer, List.of());
    }

    /**
     * Every namespace the configuration names: the only ones the Kagent convention may reach when
     * the namespace is the last label of the agent's host ({@link UrlTemplate}).
     */
    static Set<String> namespacesNamed(GatewayConfig config) {
        Set<String> out = new HashSet<>(config.security().authentication().allowedNamespaces());
        config.security().authentication().effectiveMethods()
                .forEach(m -> m.keys().forEach(k -> add(out, k.namespace())));
        for (A2aAgentConfig a : config.a2a().agents()) {
            out.add(a.namespace());
        }
        for (A2aRuleConfig r : config.a2a().authorization()) {
            selector(out, r.source());
            add(out, r.target().namespace());
            out.addAll(r.target().namespaces());
        }
        for (PolicyConfig p : config.authorization().policies()) {
            if (p.match() != null) {
                selector(out, p.match().kubernetes());
            }
            for (String resource : p.resources()) {
                int slash = resource.indexOf('/');
                if (resource.startsWith("agent:") && slash > 6 && resource.substring(6, slash).indexOf('*') < 0) {
                    out.add(resource.substring(6, slash));
                }
            }
        }
        config.rateLimiting().forEach(r -> {
            if (r.match() != null) {
                selector(out, r.match().kubernetes());
            }
        });
        return out;
    }

    private static void selector(Set<String> out, PrincipalSelector s) {
        if (s != null) {
            add(out, s.namespace());
            out.addAll(s.namespaces());
        }
    }

    private static void add(Set<String> out, String namespace) {
        if (namespace != null) {
            out.add(namespace);
        }
    }

    AgentRegistry registry() {
        return registry;
    }

    A2aRules rules() {
        return rules;
    }

    CardCache cards() {
        return cards;
    }

    ExternalAddress address() {
        return address;
    }

    CardKeys cardKeys() {
        return signer.keys();
    }

    /**
     * A card as the caller gets it: its endpoints pointed at the gateway ({@link CardRewriter})
     * and, when the agent signed it, signed by the gateway instead ({@link CardSigner}).
     *
     * @param card the agent's card (not modified)
     * @throws io.agentgateway.server.GatewayError 502 when the card cannot be passed on
     */
    ObjectNode presentCard(ObjectNode card, HttpServerRequest request, ListenerConfig listener, AgentEndpoint agent) {
        String base = address.base(request, trustedProxies(listener));
        ObjectNode out = CardRewriter.rewrite(card, base + "/" + agent.namespace() + "/" + agent.name(), agent.id());
        return CardSigner.signed(card) ? signer.sign(out, base + CardSigner.JWKS_PATH) : out;
    }

    CidrSet trustedProxies(ListenerConfig listener) {
        return trustedProxies.getOrDefault(listener.name(), CidrSet.EMPTY);
    }

    Duration timeout() {
        return timeout;
    }

    Duration streamTimeout() {
        return streamTimeout;
    }

    /**
     * How often a relayed stream checks for silence towards the caller: a third of the listener's
     * idle timeout (so a keep-alive always lands before it), at most 15 s (what proxies in front
     * commonly tolerate).
     */
    long keepAliveMillis(ListenerConfig listener) {
        long third = listener.idleTimeout().toMillis() / 3;
        return Math.max(100, Math.min(third, MAX_KEEP_ALIVE_MILLIS));
    }

    /**
     * The gate in front of an agent ({@code a2a.connection_pool}, per agent): a listed agent has
     * its own; the agents of one namespace reached by the convention share one ({@code NAMESPACE/*}),
     * as callers choose their names.
     */
    ConnectionGate gate(Vertx vertx, AgentEndpoint agent) {
        return ConnectionGates.of(vertx).gate("a2a", listedIds.contains(agent.id()) ? agent.id() : agent.namespace() + "/*", agentPool);
    }

    /** The names of the listed agents: the values the {@code target_agent} metric label always keeps. */
    public Set<String> agentNames() {
        return agentNames;
    }
}
