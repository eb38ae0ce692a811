package io.agentgateway.runtime;

import io.agentgateway.a2a.A2aRuntime;
import io.agentgateway.a2a.CardKeys;
import io.agentgateway.config.Action;
import io.agentgateway.config.ApiKeyConfig;
import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.AuthenticationConfig;
import io.agentgateway.config.AuthorizationConfig;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.config.McpServerConfig;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.RateLimitStoreConfig;
import io.agentgateway.identity.ApiKeyAuthenticator;
import io.agentgateway.identity.Authentication;
import io.agentgateway.identity.Authenticator;
import io.agentgateway.identity.AuthenticatorCompiler;
import io.agentgateway.identity.NoneAuthenticator;
import io.agentgateway.kube.IdentityHttpClients;
import io.agentgateway.llm.Provider;
import io.agentgateway.llm.ProviderDialect;
import io.agentgateway.observe.AuditPlan;
import io.agentgateway.policy.A2aRules;
import io.agentgateway.policy.AuthorizationPolicies;
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.secret.SecretStore;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A config compiled as far as it goes without touching anything: every error it has, or
 * everything the runtime needs ({@link GatewayRuntime#activate} then starts what must run). Planning
 * reads files the config names (a CA bundle) but sets no secrets directory, reads no secret,
 * starts no process or server, opens no store, registers no meter and binds nothing, so it is
 * what {@code validate} and {@code check} run, and a reload that fails it changes nothing.
 *
 * <p>Immutable and thread-safe once built. Planning is blocking (it reads files): off the event loop.
 */
public final class RuntimePlan {
    /** Where the built-in mock provider stands in a plan until its server runs; only its form is checked. */
    private static final String MOCK_PLACEHOLDER = "http://127.0.0.1";

    /**
     * What planning may read but never changes: the Vert.x instance and HTTP clients the compiled
     * authenticators will use later (nothing is sent while planning), the clock, the environment,
     * the secret store (asked with {@link SecretStore#declare}, which reads nothing), and the
     * agent-card signing key of the process (used when {@code a2a.card_signing_key_secret} is not set).
     */
    public record Context(Vertx vertx, Clock clock, Function<String, String> env, IdentityHttpClients http,
                          SecretStore secrets, CardKeys cardKeys) {
        /** A context for a command that only plans ({@code validate}, {@code check}): its own store, no cluster. */
        public static Context standalone(Vertx vertx, Function<String, String> env) {
            return new Context(vertx, Clock.systemUTC(), env, new IdentityHttpClients(vertx), new SecretStore(null, env),
                    CardKeys.generated());
        }
    }

    /** A provider as planned: {@code baseUrl} null means the built-in mock's, known once it runs. */
    record ProviderPlan(ProviderConfig config, String baseUrl, ProviderDialect dialect) {
        Provider provider(String mockUrl) {
            return new Provider(config, baseUrl != null ? baseUrl : mockUrl, dialect);
        }
    }

    private final GatewayConfig config;
    private final Path baseDir;
    private final Path secretsDir;
    private final List<ProviderPlan> providers;
    private final Authentication authentication;
    private final PolicyEngine policies;
    private final A2aRuntime a2a;
    private final SecretRef storePassword;
    private final SecretRef mcpSessionKey;
    private final List<SecretRef> required;
    private final List<SecretRef> declared;
    private final List<String> notReady;
    private final AuditPlan audit;
    private final PolicyCheck policyCheck;
    private final AdminAccess adminAccess;

    private RuntimePlan(Builder b, Authentication authentication, PolicyEngine policies, A2aRuntime a2a, AuditPlan audit,
                        AdminAccess adminAccess) {
        this.config = b.config;
        this.baseDir = b.baseDir;
        this.secretsDir = b.config.secretsDir() == null ? null : GatewayRuntime.resolve(b.baseDir, b.config.secretsDir());
        this.providers = List.copyOf(b.providers);
        this.authentication = authentication;
        this.policies = policies;
        this.a2a = a2a;
        this.storePassword = b.storePassword;
        this.mcpSessionKey = b.mcpSessionKey;
        this.required = List.copyOf(b.required);
        this.declared = List.copyOf(b.declared.values());
        this.notReady = List.copyOf(b.notReady);
        this.audit = audit;
        this.policyCheck = new PolicyCheck(policies, new A2aRules(b.config.a2a().authorization()));
        this.adminAccess = adminAccess;
    }

    /**
     * Plans {@code config}.
     *
     * @param baseDir where relative paths in the config are resolved (the config file's folder), or null
     * @throws ConfigException with every problem only compiling finds (an unsupported provider type,
     *                         a condition that does not compile, a missing CA file), each with its key path
     */
    public static RuntimePlan plan(GatewayConfig config, Path baseDir, Context context) throws ConfigException {
        Builder b = new Builder(config, baseDir, context);
        for (int i = 0; i < config.llm().providers().size(); i++) {
            b.provider(config.llm().providers().get(i), "llm.providers[" + i + "]");
        }
        Authentication authentication = b.authentication();
        PolicyEngine policies = b.policies();
        b.storePassword();
        String cardKey = config.a2a().cardSigningKeySecret();
        CardKeys cardKeys = cardKey == null ? context.cardKeys()
                : CardKeys.fromSecret(b.require(cardKey, config.a2a().cardSigningKeySecretKey()), context.cardKeys());
        A2aRuntime a2a = A2aRuntime.compile(config, context.clock(), cardKeys, b.errors);
        if (config.mcp().sessionKeySecret() != null) {
            b.mcpSessionKey = b.require(config.mcp().sessionKeySecret(), config.mcp().sessionKeySecretKey());
        }
        AuditPlan audit = new AuditPlan(config.observability().logging(), baseDir, b::declare);
        AdminAccess adminAccess = AdminAccess.compile(config, b::require, b.tokens());
        if (!b.errors.isEmpty()) {
            throw new ConfigException(b.errors);
        }
        return new RuntimePlan(b, authentication, policies, a2a, audit, adminAccess);
    }

    /** Collects what planning finds; used once, by {@link #plan}. */
    private static final class Builder {
        final GatewayConfig config;
        final Path baseDir;
        final Context context;
        final List<ConfigError> errors = new ArrayList<>();
        final List<String> notReady = new ArrayList<>();
        final List<ProviderPlan> providers = new ArrayList<>();
        final List<SecretRef> required = new ArrayList<>();
        /** By {@code name/key}: one reference per secret, however many places name it. */
        final Map<String, SecretRef> declared = new LinkedHashMap<>();
        SecretRef storePassword;
        SecretRef mcpSessionKey;

        Builder(GatewayConfig config, Path baseDir, Context context) {
            this.config = config;
            this.baseDir = baseDir;
            this.context = context;
        }

        SecretRef declare(String name, String key) {
            return declared.computeIfAbsent(name + "/" + key, k -> context.secrets().declare(name, key));
        }

        /** A secret the config cannot serve without: readiness waits for it. */
        SecretRef require(String name, String key) {
            SecretRef ref = declare(name, key);
            required.add(ref);
            return ref;
        }

        void provider(ProviderConfig p, String at) {
            boolean mock = p.type() == ProviderConfig.ProviderType.MOCK && p.baseUrl() == null;
            ProviderDialect dialect;
            try {
                dialect = ProviderDialect.of(p, new ProviderDialect.Secrets() {
                    @Override
                    public SecretRef require(String name, String key) {
                        return Builder.this.require(name, key);
                    }

                    @Override
                    public SecretRef optional(String name, String key) {
                        return declare(name, key);
                    }
                }, context.clock());
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(at + ".type", e.getMessage()));
                return;
            }
            String baseUrl = p.baseUrl() != null ? p.baseUrl() : mock ? null : dialect.defaultBaseUrl();
            if (baseUrl == null && !mock) {
                errors.add(new ConfigError(at + ".base_url", "is required for this provider type"));
                return;
            }
            ProviderPlan plan = new ProviderPlan(p, baseUrl, dialect);
            plan.provider(MOCK_PLACEHOLDER); // what activation builds, built once here for its errors
            providers.add(plan);
        }

        Authentication authentication() {
            AuthenticationConfig auth = config.security().authentication();
            List<AuthMethodConfig> methods = auth.effectiveMethods();
            if (methods.size() == 1 && methods.get(0).type() == AuthMethodConfig.Type.NONE) {
                return Authentication.NONE;
            }
            List<Authenticator> compiled = new ArrayList<>();
            AuthenticatorCompiler tokens = tokens();
            for (int i = 0; i < methods.size(); i++) {
                AuthMethodConfig m = methods.get(i);
                String at = auth.methods() != null ? "security.authentication.methods[" + i + "]" : "security.authentication";
                switch (m.type()) {
                    case NONE -> compiled.add(new NoneAuthenticator());
                    case API_KEY -> {
                        List<ApiKeyAuthenticator.Key> keys = new ArrayList<>();
                        for (ApiKeyConfig k : m.keys()) {
                            SecretRef ref = k.keySecret() == null ? null : require(k.keySecret(), k.keySecretKey());
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

        /** Compiles token authenticators (kubernetes, jwt, mtls) with this plan's errors and readiness. */
        AuthenticatorCompiler tokens() {
            return new AuthenticatorCompiler(new AuthenticatorCompiler.Environment(context.vertx(),
                    context.clock(), context.env(), context.http(), baseDir), errors, notReady);
        }

        PolicyEngine policies() {
            AuthorizationConfig authz = config.authorization();
            if (authz.policies().isEmpty() && authz.effectiveDefault() == Action.ALLOW) {
                return PolicyEngine.ALLOW_ALL;
            }
            try {
                return AuthorizationPolicies.compile(authz);
            } catch (ConfigException e) {
                // when: conditions that do not compile; plan() throws, so this engine is never used
                errors.addAll(e.errors());
                return PolicyEngine.ALLOW_ALL;
            }
        }

        void storePassword() {
            RateLimitStoreConfig store = config.rateLimitStore();
            // Budgets count there, and MCP records ended sessions there for every replica.
            if ((!config.rateLimiting().isEmpty() || !config.mcp().servers().isEmpty()) && store.type() == RateLimitStoreConfig.StoreType.REDIS
                    && store.passwordSecret() != null) {
                storePassword = require(store.passwordSecret(), store.passwordSecretKey());
            }
        }
    }

    public GatewayConfig config() {
        return config;
    }

    Path baseDir() {
        return baseDir;
    }

    /** The resolved {@code secrets_dir}, or null when the config sets none. */
    public Path secretsDir() {
        return secretsDir;
    }

    /** Whether activation must start the built-in mock provider (a {@code mock} provider without {@code base_url}). */
    public boolean needsMock() {
        return providers.stream().anyMatch(p -> p.baseUrl() == null);
    }

    /** Whether activation must start the built-in demo MCP server (a {@code transport: demo} server behind an MCP listener). */
    public boolean needsDemoMcp() {
        return config.listeners().stream().anyMatch(l -> l.protocol() == ListenerConfig.Protocol.MCP)
                && config.mcp().servers().stream().anyMatch(s -> s.transport() == McpServerConfig.Transport.DEMO);
    }

    /** Whether activation must start the built-in demo agents ({@code a2a.agents[].demo}). */
    public boolean needsDemoAgents() {
        return a2a.hasDemoAgents();
    }

    List<ProviderPlan> providers() {
        return providers;
    }

    Authentication authentication() {
        return authentication;
    }

    PolicyEngine policies() {
        return policies;
    }

    A2aRuntime a2a() {
        return a2a;
    }

    /** The resource policies and A2A rules as requests will be decided: what {@code check} and the console ask. */
    public PolicyCheck policyCheck() {
        return policyCheck;
    }

    AdminAccess adminAccess() {
        return adminAccess;
    }

    SecretRef storePassword() {
        return storePassword;
    }

    SecretRef mcpSessionKey() {
        return mcpSessionKey;
    }

    /** Secrets the config cannot serve without (readiness waits for them). */
    public List<SecretRef> requiredSecrets() {
        return required;
    }

    /** Every secret the config names, required or not; activation hands them to the store. */
    List<SecretRef> declaredSecrets() {
        return declared;
    }

    List<String> notReady() {
        return notReady;
    }

    AuditPlan audit() {
        return audit;
    }
}
