package io.agentgateway.runtime;

import io.agentgateway.a2a.A2aHandler;
import io.agentgateway.a2a.A2aMethods;
import io.agentgateway.a2a.A2aRuntime;
import io.agentgateway.a2a.CardKeys;
import io.agentgateway.budget.Budgets;
import io.agentgateway.config.Action;
import io.agentgateway.config.ApiKeyConfig;
import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.AuthenticationConfig;
import io.agentgateway.config.AuthorizationConfig;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.RateLimitRule;
import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.identity.ApiKeyAuthenticator;
import io.agentgateway.identity.Authentication;
import io.agentgateway.identity.Authenticator;
import io.agentgateway.identity.AuthenticatorCompiler;
import io.agentgateway.identity.NoneAuthenticator;
import io.agentgateway.llm.LlmHandler;
import io.agentgateway.llm.LlmRuntime;
import io.agentgateway.llm.Provider;
import io.agentgateway.mcp.McpHandler;
import io.agentgateway.mcp.McpRuntime;
import io.agentgateway.observe.A2aMetrics;
import io.agentgateway.observe.AuditPlan;
import io.agentgateway.core.BoundedLabel;
import io.agentgateway.observe.GatewayMetrics;
import io.agentgateway.observe.McpMetrics;
import io.agentgateway.policy.AuthorizationPolicies;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.ExchangeListener;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.InFlight;
import io.agentgateway.server.ListenerRoutes;
import io.agentgateway.server.ProtocolHandler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything compiled from one {@link GatewayConfig}: the governance chain, providers and routes,
 * each listener's handler. Built once per config (at start and on every valid reload) and then
 * only read, so a reload is one atomic reference swap; requests already running keep the runtime
 * they started with until they finish ({@link #inFlight()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class GatewayRuntime implements ListenerRoutes {
    private final GatewayConfig config;
    private final Map<String, ProtocolHandler> handlers;
    private final InFlight inFlight;
    private final List<SecretRef> requiredSecrets;
    private final List<String> notReady;
    private final AuditPlan audit;

    private GatewayRuntime(GatewayConfig config, Map<String, ProtocolHandler> handlers, InFlight inFlight,
                           List<SecretRef> requiredSecrets, List<String> notReady, AuditPlan audit) {
        this.config = config;
        this.handlers = Map.copyOf(handlers);
        this.inFlight = inFlight;
        this.requiredSecrets = List.copyOf(requiredSecrets);
        this.notReady = List.copyOf(notReady);
        this.audit = audit;
    }

    /** The audit outputs this config wants; opened when the runtime goes live. */
    public AuditPlan audit() {
        return audit;
    }

    /**
     * Compiles a config. Blocking (it reads secrets and files): call it off the event loop.
     *
     * @throws ConfigException for what only compiling can find (an unsupported provider type, a
     *                         condition that does not compile), with key paths
     */
    public static GatewayRuntime compile(GatewayConfig config, Path baseDir, GatewayServices services) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        services.secrets().directory(config.secretsDir() == null ? null : resolve(baseDir, config.secretsDir()));
        List<SecretRef> secrets = new ArrayList<>();

        Map<String, Provider> providers = new LinkedHashMap<>();
        for (int i = 0; i < config.llm().providers().size(); i++) {
            ProviderConfig p = config.llm().providers().get(i);
            String at = "llm.providers[" + i + "]";
            String baseUrl = p.baseUrl() != null ? p.baseUrl()
                    : p.type() == ProviderConfig.ProviderType.MOCK ? services.runningMockUrl() : Provider.defaultBaseUrl(p);
            if (baseUrl == null) {
                errors.add(new ConfigError(at + ".base_url", "is required for this provider type"));
                continue;
            }
            SecretRef key = null;
            if (p.apiKeySecret() != null) {
                key = services.secrets().ref(p.apiKeySecret(), p.apiKeySecretKey());
                secrets.add(key);
            }
            try {
                providers.put(p.name(), new Provider(p, baseUrl, key));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(at + ".type", e.getMessage()));
            }
        }

        List<String> notReady = new ArrayList<>();
        Authentication authentication = compileAuthentication(config, baseDir, services, secrets, errors, notReady);
        PolicyEngine policies = compilePolicies(config, errors);
        SecretRef storePassword = storePassword(config, services, secrets);
        A2aRuntime a2a = A2aRuntime.compile(config, services.clock(), cardKeys(config, services, secrets, errors), errors);
        SecretRef mcpSessionKey = null;
        if (config.mcp().sessionKeySecret() != null) {
            mcpSessionKey = services.secrets().ref(config.mcp().sessionKeySecret(), config.mcp().sessionKeySecretKey());
            secrets.add(mcpSessionKey);
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        Budgets budgets = services.budgets().budgets(config.rateLimiting(), config.rateLimitStore(), storePassword,
                knownNamespaces(config));

        AuditPlan audit = new AuditPlan(config.observability().logging(), baseDir, services.secrets());
        BoundedLabel namespaceLabel = new BoundedLabel(knownNamespaces(config), 200);
        ExchangeListener observers = ExchangeListener.all(List.of(
                new GatewayMetrics(services.metrics(), namespaceLabel, new BoundedLabel(knownModels(config), 200)),
                new McpMetrics(services.metrics(), knownMcpServers(config), McpRuntime.knownMethods(), namespaceLabel),
                new A2aMetrics(services.metrics(), new BoundedLabel(knownNamespaces(config), 200),
                        new BoundedLabel(a2a.agentNames(), 200), new BoundedLabel(a2aMethodLabels(), 0)),
                services.audit()));
        InFlight inFlight = new InFlight();
        GovernanceChain chain = new GovernanceChain(authentication, policies, budgets, observers, services.clock(), inFlight,
                services.tracer(config.observability().tracing()),
                config.observability().logging().enabled() && config.observability().logging().includePayloads());
        boolean tokenBudgets = config.rateLimiting().stream().anyMatch(r -> r.limitBy() == RateLimitRule.LimitBy.TOKENS);
        LlmRuntime llm = LlmRuntime.compile(config.llm(), providers, tokenBudgets, services.clock().instant().getEpochSecond());

        // Last: it starts and stops upstream MCP servers, so only for a config that compiled.
        McpRuntime mcp = McpRuntime.compile(config, baseDir, mcpSessionKey, services.mcpUpstreams(), services.clock());

        Map<String, ProtocolHandler> handlers = new LinkedHashMap<>();
        for (ListenerConfig l : config.listeners()) {
            handlers.put(l.name(), switch (l.protocol()) {
                case HTTP -> new LlmHandler(chain, llm);
                case MCP -> new McpHandler(chain, mcp);
                case A2A -> new A2aHandler(chain, a2a);
            });
        }
        return new GatewayRuntime(config, handlers, inFlight, secrets, notReady, audit);
    }

    /**
     * The keys re-signed agent cards are signed with: the JWK in {@code a2a.card_signing_key_secret}
     * (a required secret), else the key this process generated.
     */
    private static CardKeys cardKeys(GatewayConfig config, GatewayServices services, List<SecretRef> secrets,
                                     List<ConfigError> errors) {
        String name = config.a2a().cardSigningKeySecret();
        if (name == null) {
            return services.cardKeys();
        }
        SecretRef ref = services.secrets().ref(name, config.a2a().cardSigningKeySecretKey());
        secrets.add(ref);
        try {
            return CardKeys.fromSecret(ref, services.cardKeys());
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError("a2a.card_signing_key_secret", e.getMessage()));
            return services.cardKeys();
        }
    }

    private static Authentication compileAuthentication(GatewayConfig config, Path baseDir, GatewayServices services,
                                                        List<SecretRef> secrets, List<ConfigError> errors,
                                                        List<String> notReady) {
        AuthenticationConfig auth = config.security().authentication();
        List<AuthMethodConfig> methods = auth.effectiveMethods();
        if (methods.size() == 1 && methods.get(0).type() == AuthMethodConfig.Type.NONE) {
            return Authentication.NONE;
        }
        List<Authenticator> compiled = new ArrayList<>();
        AuthenticatorCompiler tokens = new AuthenticatorCompiler(new AuthenticatorCompiler.Environment(services.vertx(),
                services.clock(), services.env(), services.identityHttp(), baseDir), errors, notReady);
        for (int i = 0; i < methods.size(); i++) {
            AuthMethodConfig m = methods.get(i);
            String at = auth.methods() != null ? "security.authentication.methods[" + i + "]" : "security.authentication";
            switch (m.type()) {
                case NONE -> compiled.add(new NoneAuthenticator());
                case API_KEY -> {
                    List<ApiKeyAuthenticator.Key> keys = new ArrayList<>();
                    for (ApiKeyConfig k : m.keys()) {
                        SecretRef ref = null;
                        if (k.keySecret() != null) {
                            ref = services.secrets().ref(k.keySecret(), k.keySecretKey());
                            secrets.add(ref);
                        }
                        keys.add(new ApiKeyAuthenticator.Key(k.name(), ref,
                                k.keyHash() == null ? null : ApiKeyAuthenticator.parseHash(k.keyHash()),
                                k.namespace(), k.serviceAccount()));
                    }
                    compiled.add(new ApiKeyAuthenticator(keys, m.header()));
                }
                case KUBERNETES, JWT, MTLS -> {
                    Authenticator a = tokens.compile(m, at);
                    if (a != null) {
                        compiled.add(a);
                    }
                }
            }
        }
        return new Authentication(compiled, Set.copyOf(auth.allowedNamespaces()));
    }

    private static SecretRef storePassword(GatewayConfig config, GatewayServices services, List<SecretRef> secrets) {
        RateLimitStoreConfig store = config.rateLimitStore();
        if (config.rateLimiting().isEmpty() || store.type() != RateLimitStoreConfig.StoreType.REDIS
                || store.passwordSecret() == null) {
            return null;
        }
        SecretRef ref = services.secrets().ref(store.passwordSecret(), store.passwordSecretKey());
        secrets.add(ref);
        return ref;
    }

    private static PolicyEngine compilePolicies(GatewayConfig config, List<ConfigError> errors) {
        AuthorizationConfig authz = config.authorization();
        if (authz.policies().isEmpty() && authz.effectiveDefault() == Action.ALLOW) {
            return PolicyEngine.ALLOW_ALL;
        }
        try {
            return AuthorizationPolicies.compile(authz);
        } catch (ConfigException e) {
            // when: conditions that do not compile; compile() throws below, so this engine is never used
            errors.addAll(e.errors());
            return PolicyEngine.ALLOW_ALL;
        }
    }

    private static Set<String> knownNamespaces(GatewayConfig config) {
        Set<String> out = new HashSet<>(config.security().authentication().allowedNamespaces());
        config.authorization().policies().forEach(p -> {
            if (p.match() != null && p.match().kubernetes() != null) {
                if (p.match().kubernetes().namespace() != null) {
                    out.add(p.match().kubernetes().namespace());
                }
                out.addAll(p.match().kubernetes().namespaces());
            }
        });
        config.rateLimiting().forEach(r -> {
            if (r.match() != null && r.match().kubernetes() != null) {
                if (r.match().kubernetes().namespace() != null) {
                    out.add(r.match().kubernetes().namespace());
                }
                out.addAll(r.match().kubernetes().namespaces());
            }
        });
        config.a2a().agents().forEach(a -> out.add(a.namespace()));
        return out;
    }

    private static Set<String> knownMcpServers(GatewayConfig config) {
        Set<String> out = new HashSet<>();
        config.mcp().servers().forEach(s -> out.add(s.name()));
        return out;
    }

    private static Set<String> a2aMethodLabels() {
        Set<String> out = new HashSet<>(A2aMethods.ALL);
        out.add("agent_card");
        return out;
    }

    private static Set<String> knownModels(GatewayConfig config) {
        Set<String> out = new HashSet<>();
        config.llm().models().forEach(m -> out.add(m.name()));
        config.llm().providers().forEach(p -> out.addAll(p.models()));
        return out;
    }

    static Path resolve(Path baseDir, String path) {
        return baseDir == null ? Path.of(path) : baseDir.resolve(path);
    }

    @Override
    public ProtocolHandler handler(String listenerName) {
        return handlers.get(listenerName);
    }

    public GatewayConfig config() {
        return config;
    }

    public InFlight inFlight() {
        return inFlight;
    }

    /** What keeps this config from serving as configured (e.g. kubernetes authentication with no API server); empty when nothing. */
    public List<String> notReady() {
        return notReady;
    }

    /** Secrets the config needs; readiness is false while one cannot be found. */
    public List<SecretRef> requiredSecrets() {
        return requiredSecrets;
    }
}
