package io.agentgateway.runtime;

import io.agentgateway.a2a.A2aHandler;
import io.agentgateway.a2a.A2aMethods;
import io.agentgateway.a2a.A2aRuntime;
import io.agentgateway.budget.Budgets;
import io.agentgateway.budget.PriceTable;
import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.config.RateLimitRule;
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
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.ExchangeListener;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.InFlight;
import io.agentgateway.server.ListenerRoutes;
import io.agentgateway.server.ProtocolHandler;
import io.micrometer.core.instrument.Counter;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything compiled from one {@link GatewayConfig}: the governance chain, providers and routes,
 * each listener's handler. Built by {@link #activate} from a {@link RuntimePlan} (at start and on
 * every reload whose plan succeeded) and then
 * only read, so a reload is one atomic reference swap; requests already running keep the runtime
 * they started with until they finish ({@link #inFlight()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class GatewayRuntime implements ListenerRoutes {
    /** Distinct label values a metric label admits beyond those the config names; the rest are {@code other}. */
    public static final int LABEL_CAP = 200;

    private final GatewayConfig config;
    private final Map<String, ProtocolHandler> handlers;
    private final InFlight inFlight;
    private final List<SecretRef> requiredSecrets;
    private final List<String> notReady;
    private final AuditPlan audit;
    private final PolicyCheck policyCheck;
    private final Budgets budgets;
    private final AdminAccess adminAccess;

    private GatewayRuntime(GatewayConfig config, Map<String, ProtocolHandler> handlers, InFlight inFlight,
                           List<SecretRef> requiredSecrets, List<String> notReady, AuditPlan audit,
                           PolicyCheck policyCheck, Budgets budgets, AdminAccess adminAccess) {
        this.config = config;
        this.handlers = Map.copyOf(handlers);
        this.inFlight = inFlight;
        this.requiredSecrets = List.copyOf(requiredSecrets);
        this.notReady = List.copyOf(notReady);
        this.audit = audit;
        this.policyCheck = policyCheck;
        this.budgets = budgets;
        this.adminAccess = adminAccess;
    }

    /** The audit outputs this config wants; opened when the runtime goes live. */
    public AuditPlan audit() {
        return audit;
    }

    /**
     * Plans and activates {@code config} in one blocking call, starting the built-in upstreams it
     * uses first: for tools and tests that hold no running gateway. Off the event loop.
     *
     * @throws ConfigException every error {@link RuntimePlan#plan} finds; nothing was started then
     */
    public static GatewayRuntime compile(GatewayConfig config, Path baseDir, GatewayServices services) throws ConfigException {
        RuntimePlan plan = RuntimePlan.plan(config, baseDir, services.planContext());
        return activate(plan, services, services.startBuiltIns(plan).await());
    }

    /**
     * The second step: makes a plan live. Points the secret store at the plan's
     * {@code secrets_dir}, takes the budget counter store (kept or replaced), registers meters,
     * brings the MCP upstreams in line (starting new stdio servers, stopping removed ones) and
     * wires each listener's handler. Call only with the plan that is about to serve, one at a
     * time; blocking (it reads secrets), so off the event loop.
     *
     * @param builtIns where the built-in upstreams the plan uses serve ({@link GatewayServices#startBuiltIns})
     */
    public static GatewayRuntime activate(RuntimePlan plan, GatewayServices services, GatewayServices.BuiltInUrls builtIns) {
        GatewayConfig config = plan.config();
        services.secrets().activate(plan.secretsDir(), plan.declaredSecrets());
        Map<String, Provider> providers = new LinkedHashMap<>();
        plan.providers().forEach(p -> providers.put(p.config().name(), p.provider(builtIns.mock())));
        Budgets budgets = services.budgets().budgets(config.rateLimiting(), config.rateLimitStore().resolvedAgainst(plan.baseDir()),
                plan.storePassword(),
                knownNamespaces(config), PriceTable.of(config.llm().pricing()));

        A2aRuntime a2a = plan.a2a().withDemoAgents(builtIns.demoAgents());
        BoundedLabel namespaceLabel = new BoundedLabel(knownNamespaces(config), LABEL_CAP, dropped(services, "namespace"));
        ExchangeListener observers = ExchangeListener.all(List.of(
                new GatewayMetrics(services.metrics(), namespaceLabel,
                        new BoundedLabel(knownModels(config), LABEL_CAP, dropped(services, "model"))),
                new McpMetrics(services.metrics(), knownMcpServers(config), McpRuntime.knownMethods(), namespaceLabel),
                new A2aMetrics(services.metrics(), namespaceLabel,
                        new BoundedLabel(a2a.agentNames(), LABEL_CAP, dropped(services, "agent")),
                        new BoundedLabel(a2aMethodLabels(), 0, dropped(services, "a2a_method"))),
                services.audit()));
        InFlight inFlight = new InFlight();
        GovernanceChain chain = new GovernanceChain(plan.authentication(), plan.policies(), budgets, observers,
                services.clock(), inFlight, services.tracer(config.observability().tracing()),
                config.observability().logging().enabled() && config.observability().logging().includePayloads());
        boolean tokenBudgets = config.rateLimiting().stream().anyMatch(r -> r.limitBy() != RateLimitRule.LimitBy.REQUESTS);
        LlmRuntime llm = LlmRuntime.compile(config.llm(), providers, tokenBudgets, services.clock(),
                services.clock().instant().getEpochSecond());
        McpRuntime mcp = McpRuntime.compile(config, plan.baseDir(), plan.mcpSessionKey(), plan.storePassword(),
                services.mcpUpstreams(), builtIns.demoMcp(), services.clock());

        Map<String, ProtocolHandler> handlers = new LinkedHashMap<>();
        for (ListenerConfig l : config.listeners()) {
            handlers.put(l.name(), switch (l.protocol()) {
                case HTTP -> new LlmHandler(chain, llm);
                case MCP -> new McpHandler(chain, mcp);
                case A2A -> new A2aHandler(chain, a2a);
            });
        }
        return new GatewayRuntime(config, handlers, inFlight, plan.requiredSecrets(), plan.notReady(), plan.audit(),
                plan.policyCheck(), budgets, plan.adminAccess());
    }

    /**
     * Counts label values turned into {@code other}, per label. Registering is idempotent, so
     * every compiled runtime shares the one counter per label.
     */
    private static Runnable dropped(GatewayServices services, String label) {
        Counter c = Counter.builder("agentgateway.metric.label.values.dropped")
                .description("Observations recorded with label value other: the label already had its cap of "
                        + LABEL_CAP + " values beyond those the config names")
                .tag("label", label)
                .register(services.metrics());
        return c::increment;
    }

    /** Namespaces the config names: always labels of their own, whatever the cap. */
    private static Set<String> knownNamespaces(GatewayConfig config) {
        Set<String> out = new HashSet<>(config.security().authentication().allowedNamespaces());
        config.security().authentication().effectiveMethods().forEach(m -> {
            if (m.type() == AuthMethodConfig.Type.API_KEY && m.keys() != null) {
                m.keys().forEach(k -> out.add(k.namespace()));
            }
        });
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

    /** This config's authorization (resource policies and A2A rules), as requests are decided. */
    public PolicyCheck policyCheck() {
        return policyCheck;
    }

    /** The namespaces this config names (allowed namespaces, policy and budget matches, A2A agents). */
    public Set<String> namespaces() {
        return knownNamespaces(config);
    }

    /** This config's budgets, for reading usage ({@link Budgets#usage}). */
    public Budgets budgets() {
        return budgets;
    }

    /** Who may read the admin port's {@code /api/*}. */
    AdminAccess adminAccess() {
        return adminAccess;
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
