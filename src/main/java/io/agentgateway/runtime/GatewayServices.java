package io.agentgateway.runtime;

import io.agentgateway.llm.mock.MockOpenAiServer;
import io.agentgateway.mcp.McpUpstreams;
import io.agentgateway.secret.SecretStore;
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
import java.util.function.Function;

/**
 * What outlives a config reload: the Vert.x instance, the clock, the metrics registry (counters
 * must not reset on reload), the secret store, and the built-in mock provider's server. Created
 * once per process; {@link #close()} at shutdown.
 */
public final class GatewayServices implements AutoCloseable {
    private final Vertx vertx;
    private final Clock clock;
    private final Function<String, String> env;
    private final SecretStore secrets;
    private final PrometheusMeterRegistry metrics;
    private final String instanceName;
    private MockOpenAiServer mock;
    private Future<String> mockUrl;
    private McpUpstreams mcpUpstreams;

    public GatewayServices(Vertx vertx, Clock clock, Function<String, String> env) {
        this.vertx = vertx;
        this.clock = clock;
        this.env = env;
        this.secrets = new SecretStore(null, env);
        this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ClassLoaderMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
        String pod = env.apply("POD_NAME");
        String host = env.apply("HOSTNAME");
        this.instanceName = pod != null ? pod : host != null ? host : "agentgateway";
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

    /** This replica's name in audit events ({@code POD_NAME}, else {@code HOSTNAME}). */
    public String instanceName() {
        return instanceName;
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
            mockUrl = mock.start().onSuccess(url -> org.slf4j.LoggerFactory.getLogger(GatewayServices.class)
                    .info("mock provider serving at {}", url));
        }
        return mockUrl;
    }

    /** The mock's URL if it is running (compile time, after {@link #mockProviderUrl()} completed). */
    synchronized String runningMockUrl() {
        return mockUrl != null && mockUrl.succeeded() ? mockUrl.result() : null;
    }

    @Override
    public void close() {
        secrets.stop(vertx);
        synchronized (this) {
            if (mcpUpstreams != null) {
                mcpUpstreams.close();
            }
        }
        if (mock != null) {
            mock.close();
        }
        metrics.close();
    }
}
