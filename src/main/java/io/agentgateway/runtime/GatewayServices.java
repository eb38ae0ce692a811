package io.agentgateway.runtime;

import io.agentgateway.a2a.demo.DemoAgentServer;
import io.agentgateway.core.GatewayVersion;
import io.agentgateway.a2a.CardKeys;
import io.agentgateway.kube.IdentityHttpClients;
import io.agentgateway.mcp.demo.DemoMcpServer;
import org.slf4j.LoggerFactory;
import io.agentgateway.budget.BudgetState;
import io.agentgateway.kube.KubernetesSecrets;
import io.agentgateway.llm.mock.MockOpenAiServer;
import io.agentgateway.mcp.McpUpstreams;
import io.agentgateway.config.TracingConfig;
import io.agentgateway.observe.AuditLog;
import io.agentgateway.observe.OtelTracer;
import io.agentgateway.server.ExchangeTracer;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.agentgateway.secret.SecretStore;
import io.agentgateway.identity.TokenCacheStats;
import io.agentgateway.upstream.ConnectionGates;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What outlives a config reload: the Vert.x instance, the clock, the metrics registry (counters
 * must not reset on reload), the secret store, the budget counters, and the built-in upstreams
 * (the mock provider, the demo MCP server, the demo agents). Created once per process; {@link #close()} at shutdown.
 */
public final class GatewayServices implements AutoCloseable {
    private final Vertx vertx;
    private final Clock clock;
    private final Function<String, String> env;
    private final SecretStore secrets;
    private final PrometheusMeterRegistry metrics;
    private final String instanceName;
    private final IdentityHttpClients identityHttp;
    private final BudgetState budgets;
    private final AuditLog audit;
    private MockOpenAiServer mock;
    private final Map<TracingConfig, OtelTracer> tracers = new HashMap<>();
    private SpanExporter spanExporter;
    private Future<String> mockUrl;
    private DemoMcpServer demoMcp;
    private Future<String> demoMcpUrl;
    private DemoAgentServer demoAgents;
    private Future<String> demoAgentsUrl;
    private McpUpstreams mcpUpstreams;
    private CardKeys cardKeys;
    private final AtomicBoolean jvmMetricsBound = new AtomicBoolean();
    /** Generated beside the rest of the start (the first EC key generation initialises the JCA providers). */
    private final CompletableFuture<CardKeys> generatedCardKeys = CompletableFuture.supplyAsync(CardKeys::generated);

    public GatewayServices(Vertx vertx, Clock clock, Function<String, String> env) {
        this.vertx = vertx;
        this.clock = clock;
        this.env = env;
        this.secrets = new SecretStore(null, env, KubernetesSecrets.inCluster(env).orElse(null));
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConnectionGates.install(vertx, metrics);
        TokenCacheStats.bind(vertx, metrics);
        String pod = env.apply("POD_NAME");
        String host = env.apply("HOSTNAME");
        this.instanceName = pod != null ? pod : host != null ? host : "agentgateway";
        this.identityHttp = new IdentityHttpClients(vertx);
        this.budgets = new BudgetState(vertx, clock, metrics);
        this.audit = new AuditLog(instanceName, System.out);
    }

    /**
     * Adds the JVM's and the process's meters (memory, collections, threads, classes, CPU, uptime)
     * to {@link #metrics}, the first time it is called. Blocking (it reads the management beans,
     * which a start would otherwise load and initialise on its way to ready): {@link Gateway} calls
     * it on a worker once it is ready.
     */
    public void bindJvmMetrics() {
        // Not under this object's lock: registering takes the registry's, which a scrape holds while
        // it reads gauges, and a gauge may call back into this object.
        if (!jvmMetricsBound.compareAndSet(false, true)) {
            return;
        }
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
    }

    /** HTTP clients for the API server and OIDC issuers, shared across reloads. */
    public IdentityHttpClients identityHttp() {
        return identityHttp;
    }

    /**
     * The tracer for a tracing config, shared by every runtime compiled with that config (spans in
     * flight are not cut by an unrelated reload). Tracers of configs no longer live are closed by
     * {@link #retireTracers}.
     */
    public synchronized ExchangeTracer tracer(TracingConfig config) {
        if (!config.enabled() || config.exporter() == TracingConfig.Exporter.NONE) {
            return ExchangeTracer.NONE;
        }
        return tracers.computeIfAbsent(config, c -> OtelTracer.create(c, instanceName, spanExporter));
    }

    /** Flushes and closes every tracer but the live config's (called once a runtime is live). */
    synchronized void retireTracers(TracingConfig live) {
        tracers.entrySet().removeIf(e -> {
            if (e.getKey().equals(live)) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    /** Sends spans to this exporter instead of the configured endpoint (tests); applies to tracers created afterwards. */
    public synchronized void exportSpansTo(SpanExporter exporter) {
        this.spanExporter = exporter;
    }

    /** The audit log: one per process, so its hash chain runs across reloads. */
    public AuditLog audit() {
        return audit;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Clock clock() {
        return clock;
    }

    public Function<String, String> env() {
        return env;
    }

    public SecretStore secrets() {
        return secrets;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Budget counters and their store, kept across reloads while {@code rate_limit_store} is unchanged. */
    public BudgetState budgets() {
        return budgets;
    }

    /** This replica's name in audit events ({@code POD_NAME}, else {@code HOSTNAME}). */
    public String instanceName() {
        return instanceName;
    }

    /**
     * The agent-card signing key of this process, generated on first use: it signs when
     * {@code a2a.card_signing_key_secret} is not set, and outlives reloads so the published JWKS
     * does not change under cached cards.
     */
    public synchronized CardKeys cardKeys() {
        if (cardKeys == null) {
            cardKeys = generatedCardKeys.join();
        }
        return cardKeys;
    }

    /** Upstream MCP connections and stdio processes, kept across reloads while their config is unchanged. */
    public synchronized McpUpstreams mcpUpstreams() {
        if (mcpUpstreams == null) {
            mcpUpstreams = new McpUpstreams(vertx, clock, env);
        }
        return mcpUpstreams;
    }

    /** The mock provider's base URL, starting its server the first time it is asked for. */
    public synchronized Future<String> mockProviderUrl() {
        if (mockUrl == null) {
            mock = new MockOpenAiServer(vertx, clock);
            mockUrl = mock.start().onSuccess(url -> LoggerFactory.getLogger(GatewayServices.class)
                    .info("mock provider serving at {}", url));
        }
        return mockUrl;
    }

    /** The demo MCP server's endpoint URL, starting it the first time it is asked for. */
    public synchronized Future<String> demoMcpUrl() {
        if (demoMcpUrl == null) {
            demoMcp = new DemoMcpServer(vertx, GatewayVersion.current());
            demoMcpUrl = demoMcp.start().onSuccess(url -> LoggerFactory.getLogger(GatewayServices.class)
                    .info("demo MCP server serving at {}", url));
        }
        return demoMcpUrl;
    }

    /** The demo agents' base URL, starting their server the first time it is asked for. */
    public synchronized Future<String> demoAgentsUrl() {
        if (demoAgentsUrl == null) {
            demoAgents = new DemoAgentServer(vertx, clock, GatewayVersion.current());
            demoAgentsUrl = demoAgents.start().onSuccess(url -> LoggerFactory.getLogger(GatewayServices.class)
                    .info("demo A2A agents serving at {}", url));
        }
        return demoAgentsUrl;
    }

    /**
     * Starts the built-in upstreams a plan uses that are not running yet (the {@code mock} provider,
     * the {@code demo} MCP server, the demo agents) and completes with where they serve. Activation
     * only: they then serve for the life of the process, as a later config may use them again.
     */
    public Future<BuiltInUrls> startBuiltIns(RuntimePlan plan) {
        Future<String> mock = plan.needsMock() ? mockProviderUrl() : Future.succeededFuture();
        Future<String> mcp = plan.needsDemoMcp() ? demoMcpUrl() : Future.succeededFuture();
        Future<String> agents = plan.needsDemoAgents() ? demoAgentsUrl() : Future.succeededFuture();
        return Future.all(mock, mcp, agents).map(v -> new BuiltInUrls(mock.result(), mcp.result(), agents.result()));
    }

    /** Where the built-in upstreams serve; null for one the plan does not use. */
    public record BuiltInUrls(String mock, String demoMcp, String demoAgents) {
    }

    /** What planning a config may read (and never changes): see {@link RuntimePlan.Context}. */
    public RuntimePlan.Context planContext() {
        return new RuntimePlan.Context(vertx, clock, env, identityHttp, secrets, cardKeys());
    }

    @Override
    public void close() {
        synchronized (this) {
            tracers.values().forEach(OtelTracer::close);
            tracers.clear();
        }
        audit.close();
        secrets.stop(vertx);
        synchronized (this) {
            if (mcpUpstreams != null) {
                mcpUpstreams.close();
            }
        }
        identityHttp.close();
        budgets.close();
        synchronized (this) {
            if (mock != null) {
                mock.close();
            }
            if (demoMcp != null) {
                demoMcp.close();
            }
            if (demoAgents != null) {
                demoAgents.close();
            }
        }
        metrics.close();
    }
}
