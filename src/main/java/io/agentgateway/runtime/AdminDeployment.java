package io.agentgateway.runtime;

import io.agentgateway.config.AdminConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * The admin port: {@code /healthz} (the process is alive), {@code /readyz} (listeners bound,
 * config loaded, secrets found, not shutting down), {@code /metrics} (Prometheus text) and
 * {@code /api/config} (the effective config, secrets redacted).
 */
final class AdminDeployment {
    private final GatewayServices services;
    private final Gateway gateway;
    private AdminConfig config;
    private String deploymentId;
    private AdminVerticle verticle;

    AdminDeployment(GatewayServices services, Gateway gateway, AdminConfig config) {
        this.services = services;
        this.gateway = gateway;
        this.config = config;
    }

    AdminConfig config() {
        return config;
    }

    int port() {
        return verticle == null ? -1 : verticle.port;
    }

    Future<Void> deploy() {
        verticle = new AdminVerticle();
        return services.vertx().deployVerticle(verticle).<Void>map(id -> {
            deploymentId = id;
            return null;
        }).recover(e -> Future.failedFuture(ListenerDeployment.cannotListen("admin port", config.address(), config.port(), e)));
    }

    Future<Void> restart(AdminConfig newConfig) {
        return stop().compose(v -> {
            config = newConfig;
            return deploy();
        });
    }

    Future<Void> stop() {
        if (deploymentId == null) {
            return Future.succeededFuture();
        }
        String id = deploymentId;
        deploymentId = null;
        return services.vertx().undeploy(id);
    }

    private final class AdminVerticle extends VerticleBase {
        private HttpServer server;
        private volatile int port = -1;

        @Override
        public Future<?> start() {
            Router router = Router.router(vertx);
            router.get("/healthz").handler(rc -> rc.response().putHeader("content-type", "text/plain").end("ok\n"));
            router.get("/readyz").handler(this::ready);
            router.get("/metrics").handler(this::metrics);
            router.get("/api/config").handler(rc -> rc.response().putHeader("content-type", "application/json")
                    .end(ConfigJson.render(gateway.runtime().config())));
            server = vertx.createHttpServer();
            return server.requestHandler(router).listen(config.port(), config.address()).onSuccess(s -> port = s.actualPort());
        }

        private void ready(RoutingContext rc) {
            String reason = gateway.notReadyReason();
            if (reason == null) {
                rc.response().putHeader("content-type", "text/plain").end("ready\n");
            } else {
                rc.response().setStatusCode(503).putHeader("content-type", "text/plain").end("not ready: " + reason + "\n");
            }
        }

        private void metrics(RoutingContext rc) {
            if (!gateway.runtime().config().observability().metrics().enabled()) {
                rc.response().setStatusCode(404).end("metrics are disabled (observability.metrics.enabled: false)\n");
                return;
            }
            // Scraping walks every meter: keep it off the event loop.
            vertx.executeBlocking(() -> services.metrics().scrape(), false).onComplete(ar -> {
                if (ar.succeeded()) {
                    rc.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
                } else {
                    rc.fail(ar.cause());
                }
            });
        }

        @Override
        public Future<?> stop() {
            return server.shutdown(1, TimeUnit.SECONDS);
        }
    }
}
