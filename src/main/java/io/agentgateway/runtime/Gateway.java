package io.agentgateway.runtime;

import io.agentgateway.config.ConfigException;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.server.ListenerRoutes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A running gateway: its listeners, its admin port and the current {@link GatewayRuntime}.
 * {@link #reload} compiles a new runtime and swaps it in atomically (listeners whose own settings
 * changed are restarted; the others keep their sockets); {@link #stop} drains in-flight requests
 * for a grace period. Reloads and stops are serialised.
 *
 * <p>Thread-safe.
 */
public final class Gateway {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration RESTART_GRACE = Duration.ofSeconds(10);

    private final GatewayServices services;
    private final Path baseDir;
    private final AtomicReference<GatewayRuntime> runtime = new AtomicReference<>();
    private final ListenerRoutes routes = name -> runtime.get().handler(name);
    private final Map<String, ListenerDeployment> listeners = new LinkedHashMap<>();
    private final int instances;
    private final ReloadHistory history;
    private AdminDeployment admin;
    private AdminRoutes extraAdminRoutes = AdminRoutes.NONE;
    private Future<Void> serial = Future.succeededFuture();
    private volatile boolean started;
    private volatile boolean stopping;

    private Gateway(GatewayServices services, Path baseDir) {
        this.services = services;
        this.baseDir = baseDir;
        this.instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.history = new ReloadHistory(services.clock());
    }

    /** The Vert.x options the gateway is built for: one event loop per core. */
    public static VertxOptions vertxOptions() {
        return new VertxOptions().setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setPreferNativeTransport(true);
    }

    /**
     * Compiles {@code config}, binds every listener and the admin port.
     *
     * @param baseDir where relative paths in the config are resolved (the config file's folder)
     */
    public static Future<Gateway> start(GatewayServices services, GatewayConfig config, Path baseDir) {
        return start(services, config, baseDir, g -> AdminRoutes.NONE);
    }

    /**
     * As {@link #start(GatewayServices, GatewayConfig, Path)}, with more routes on the admin port
     * (the console), made for this gateway once its first runtime is live.
     */
    public static Future<Gateway> start(GatewayServices services, GatewayConfig config, Path baseDir,
                                        Function<Gateway, AdminRoutes> extraAdminRoutes) {
        Gateway gateway = new Gateway(services, baseDir);
        services.secrets().watch(services.vertx(), 2000);
        return gateway.compile(config).compose(rt -> {
            gateway.runtime.set(rt);
            services.audit().apply(rt.audit());
            services.retireTracers(config.observability().tracing());
            gateway.extraAdminRoutes = extraAdminRoutes.apply(gateway);
            gateway.admin = new AdminDeployment(services, gateway, config.admin(), gateway.extraAdminRoutes);
            // Side by side: each binds on an event loop of its own, and /readyz says "starting" until all are up.
            return firstFailure(List.of(gateway.admin.deploy(), gateway.deployAll(config.listeners())));
        }).map(v -> {
            gateway.started = true;
            gateway.history.record("started", null);
            log.info("gateway started: {}", gateway.describe());
            services.vertx().executeBlocking(() -> {
                services.bindJvmMetrics();
                return null;
            }, false);
            return gateway;
        });
    }

    /** Plans (touching nothing), then, only if that succeeded, starts the built-in upstreams it uses and activates. */
    private Future<GatewayRuntime> compile(GatewayConfig config) {
        return services.vertx().executeBlocking(() -> RuntimePlan.plan(config, baseDir, services.planContext()), false)
                .compose(plan -> services.startBuiltIns(plan)
                        .compose(builtIns -> services.vertx().executeBlocking(
                                () -> GatewayRuntime.activate(plan, services, builtIns), false)));
    }

    /**
     * Deploys the listeners side by side; each one that started is kept (in config order, as
     * {@link #describe} lists them), and the first in config order that failed fails the result.
     */
    private Future<Void> deployAll(List<ListenerConfig> configs) {
        List<ListenerDeployment> deployments = new ArrayList<>();
        List<Future<Void>> deploys = new ArrayList<>();
        for (ListenerConfig l : configs) {
            ListenerDeployment d = new ListenerDeployment(services.vertx(), l, routes, baseDir, instances);
            deployments.add(d);
            deploys.add(d.deploy());
        }
        return Future.join(deploys).transform(ar -> {
            synchronized (listeners) {
                for (int i = 0; i < deployments.size(); i++) {
                    if (deploys.get(i).succeeded()) {
                        listeners.put(deployments.get(i).config().name(), deployments.get(i));
                    }
                }
            }
            return firstFailure(deploys);
        });
    }

    /** Once all are complete: the first of {@code futures} (in list order) that failed, else success. */
    private static Future<Void> firstFailure(List<Future<Void>> futures) {
        return Future.join(futures).transform(ar -> {
            for (Future<Void> f : futures) {
                if (f.failed()) {
                    return Future.failedFuture(f.cause());
                }
            }
            return Future.succeededFuture();
        });
    }

    /**
     * Swaps in a new config. A config whose {@link RuntimePlan} fails leaves everything as it was
     * (runtime, secrets directory, listeners, MCP processes) and fails the returned future with
     * the {@link ConfigException}.
     */
    public synchronized Future<Void> reload(GatewayConfig config) {
        Future<Void> next = serial.transform(ignored -> doReload(config)).onComplete(ar -> history.record(
                ar.succeeded() ? "applied" : ar.cause() instanceof ConfigException ? "refused" : "failed", ar.cause()));
        serial = next.transform(ar -> Future.succeededFuture());
        return next;
    }

    /** Records a changed config file that did not load (invalid YAML or values): it never reached {@link #reload}. */
    public void refused(ConfigException e) {
        history.record("refused", e);
    }

    /** Config loads of this process, newest first. */
    public ReloadHistory history() {
        return history;
    }

    private Future<Void> doReload(GatewayConfig config) {
        if (stopping) {
            return Future.failedFuture("the gateway is stopping");
        }
        GatewayRuntime old = runtime.get();
        return compile(config).compose(fresh -> {
            runtime.set(fresh);
            services.audit().apply(fresh.audit());
            services.retireTracers(config.observability().tracing());
            Future<Void> adminDone = admin.config().equals(config.admin()) ? Future.succeededFuture()
                    : admin.restart(config.admin());
            return adminDone.compose(v -> relisten(config.listeners())).map(v -> {
                old.inFlight().drain().onComplete(d -> log.debug("previous runtime drained"));
                log.info("config reloaded: {}", describe());
                return null;
            });
        });
    }

    private Future<Void> relisten(List<ListenerConfig> wanted) {
        Map<String, ListenerConfig> byName = new LinkedHashMap<>();
        wanted.forEach(l -> byName.put(l.name(), l));
        List<Future<Void>> stops = new ArrayList<>();
        List<ListenerConfig> starts = new ArrayList<>();
        synchronized (listeners) {
            for (ListenerDeployment d : List.copyOf(listeners.values())) {
                ListenerConfig now = byName.get(d.config().name());
                if (now == null || !now.equals(d.config())) {
                    listeners.remove(d.config().name());
                    stops.add(d.stop(RESTART_GRACE));
                }
            }
            for (ListenerConfig l : wanted) {
                if (!listeners.containsKey(l.name())) {
                    starts.add(l);
                }
            }
        }
        return Future.all(stops).transform(ar -> deployAll(starts));
    }

    /** Readiness: started, not stopping, and every secret the config needs found. Null when ready, else why not. */
    public String notReadyReason() {
        if (!started) {
            return "starting";
        }
        if (stopping) {
            return "shutting down";
        }
        List<SecretRef> missing = runtime.get().requiredSecrets().stream().filter(r -> !r.resolved()).toList();
        if (!missing.isEmpty()) {
            return "secrets not found: " + missing;
        }
        List<String> problems = runtime.get().notReady();
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Stops accepting, lets in-flight requests and streams finish for up to {@code grace}, then releases everything. */
    public synchronized Future<Void> stop(Duration grace) {
        Future<Void> next = serial.transform(ignored -> doStop(grace));
        serial = next;
        return next;
    }

    private Future<Void> doStop(Duration grace) {
        if (stopping) {
            return Future.succeededFuture();
        }
        stopping = true;
        log.info("stopping: draining in-flight requests for up to {}s", grace.toSeconds());
        List<Future<Void>> stops = new ArrayList<>();
        synchronized (listeners) {
            for (ListenerDeployment d : listeners.values()) {
                stops.add(d.stop(grace));
            }
            listeners.clear();
        }
        Promise<Void> drained = Promise.promise();
        long timer = services.vertx().setTimer(Math.max(1, grace.toMillis()), t -> drained.tryComplete());
        runtime.get().inFlight().drain().onComplete(ar -> {
            services.vertx().cancelTimer(timer);
            drained.tryComplete();
        });
        return Future.all(stops).transform(ar -> drained.future())
                .compose(v -> admin.stop())
                .onComplete(ar -> {
                    extraAdminRoutes.close();
                    log.info("stopped");
                });
    }

    public GatewayRuntime runtime() {
        return runtime.get();
    }

    public GatewayServices services() {
        return services;
    }

    /** The port a listener is bound to (the real one when the config asked for 0); -1 when it is not running. */
    public int port(String listenerName) {
        synchronized (listeners) {
            ListenerDeployment d = listeners.get(listenerName);
            return d == null ? -1 : d.port();
        }
    }

    public int adminPort() {
        return admin.port();
    }

    private String describe() {
        StringBuilder out = new StringBuilder();
        synchronized (listeners) {
            for (ListenerDeployment d : listeners.values()) {
                out.append(d.config().name()).append(" (").append(d.config().protocol()).append(") on ")
                        .append(d.config().address()).append(':').append(d.port()).append(", ");
            }
        }
        return out.append("admin on ").append(admin.config().address()).append(':').append(admin.port()).toString();
    }
}
