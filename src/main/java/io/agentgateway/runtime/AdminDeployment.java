package io.agentgateway.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.config.AdminConfig;
import io.agentgateway.server.Json;
import io.agentgateway.config.ListenerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * The admin port: {@code /healthz} (the process is alive), {@code /readyz} (listeners bound,
 * config loaded, secrets found, not shutting down), {@code /metrics} (Prometheus text) and
 * {@code /api/config} (the effective config, secrets redacted), and what {@link AdminRoutes} add (the
 * console). {@code /api/*} is behind {@link AdminAccess}.
 */
final class AdminDeployment {
    private final GatewayServices services;
    private final Gateway gateway;
    private final AdminRoutes extra;
    private AdminConfig config;
    private String deploymentId;
    private AdminVerticle verticle;

    AdminDeployment(GatewayServices services, Gateway gateway, AdminConfig config, AdminRoutes extra) {
        this.services = services;
        this.gateway = gateway;
        this.extra = extra;
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
            // The same header limits as a listener's defaults (max_header_size is set on the server).
            router.route().handler(rc -> {
                int headers = rc.request().headers().size();
                if (headers > ListenerConfig.DEFAULT_MAX_HEADER_COUNT) {
                    rc.response().setStatusCode(431).putHeader("content-type", "text/plain").end("the request has " + headers
                            + " header fields; the admin port accepts at most " + ListenerConfig.DEFAULT_MAX_HEADER_COUNT + "\n");
                } else {
                    rc.next();
                }
            });
            router.get("/healthz").handler(rc -> rc.response().putHeader("content-type", "text/plain").end("ok\n"));
            router.get("/readyz").handler(this::ready);
            router.get("/metrics").handler(this::metrics);
            // Before every /api route, the console's included; the runtime's, so a reload applies at once.
            router.route("/api/*").handler(rc -> gateway.runtime().adminAccess().handle(rc));
            router.get("/api/config").handler(rc -> rc.response().putHeader("content-type", "application/json")
                    .end(ConfigJson.render(gateway.runtime().config())));
            extra.mount(router);
            // Only when no route matched (the console's and every other route win): JSON, as the rest of the API.
            router.errorHandler(404, rc -> notFound(rc, 404, "no admin endpoint at " + rc.request().path()));
            router.errorHandler(405, rc -> notFound(rc, 405, rc.request().method() + " is not allowed on " + rc.request().path()));
            server = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(16 * 1024)
                    // as on the listeners: an h2c upgrade would drop an over-long header instead of refusing it
                    .setHttp2ClearTextEnabled(false));
            return server.requestHandler(router).listen(config.port(), config.address()).onSuccess(s -> port = s.actualPort());
        }

        private void notFound(RoutingContext rc, int status, String message) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putObject("error").put("message", message + " (the admin port serves /healthz, /readyz, /metrics, /api/config and the console at /ui/)")
                    .put("code", status == 404 ? "not_found" : "method_not_allowed");
            rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(Json.write(body));
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
