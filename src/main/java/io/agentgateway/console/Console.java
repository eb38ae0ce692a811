package io.agentgateway.console;

import io.agentgateway.runtime.AdminRoutes;
import io.agentgateway.runtime.Gateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The console: a read-only web page on the admin port at {@code /ui/}, and the JSON it reads under
 * {@code /api/}: namespaces' budget usage over time and activity, a live audit tail (server-sent
 * events) with the hash chain's state, the policy simulator, and what is configured (permissions
 * per namespace, the A2A matrix, reload history). Every endpoint is a {@code GET} that changes
 * nothing; {@code /api/*} is behind the admin port's access check. The page uses relative URLs
 * only, so it works under any prefix ({@code kubectl port-forward}, a proxy path).
 *
 * <p>One per gateway (created with it); thread-safe. Its usage sampler and audit tap live until
 * {@link #close}.
 */
public final class Console implements AdminRoutes {
    private final Gateway gateway;
    private final UsageHistory usage;
    private final AuditTail audit;
    /** Read from the jar and hashed on a worker: the console is made on an event loop, during the start. */
    private final Future<ConsoleAssets> assets;
    private final Runnable untap;

    private Console(Gateway gateway) {
        this.gateway = gateway;
        Vertx vertx = gateway.services().vertx();
        this.usage = new UsageHistory(gateway, vertx);
        this.audit = new AuditTail(gateway.services().audit(), gateway.services().clock());
        this.untap = gateway.services().audit().tap(audit::accept);
        this.assets = vertx.executeBlocking(ConsoleAssets::load, false)
                .onFailure(e -> LoggerFactory.getLogger(Console.class).error("the console's files could not be read: {}", e.toString()));
        usage.start();
    }

    /** The console of {@code gateway}: pass {@code Console::create} to {@link Gateway#start}. */
    public static Console create(Gateway gateway) {
        return new Console(gateway);
    }

    @Override
    public void mount(Router router) {
        // Vert.x also routes "/ui/" here; only the bare path is redirected (relatively, so any prefix works).
        router.get("/ui").handler(rc -> {
            if (rc.request().path().endsWith("/")) {
                rc.next();
            } else {
                rc.response().setStatusCode(308).putHeader("location", "ui/").end();
            }
        });
        router.get("/ui/*").handler(this::asset);
        router.get("/api/overview").handler(this::overview);
        router.get("/api/namespaces").handler(rc -> new NamespaceReport(gateway, usage, audit).render()
                .onSuccess(json -> json(rc, json)).onFailure(rc::fail));
        router.get("/api/check").handler(rc -> Simulator.answer(gateway.runtime(), rc));
        router.get("/api/permissions").handler(rc -> json(rc, new ConfiguredView(gateway.runtime()).permissions()));
        router.get("/api/a2a").handler(rc -> json(rc, new ConfiguredView(gateway.runtime()).a2aMatrix()));
        router.get("/api/reloads").handler(this::reloads);
        router.get("/api/audit/chain").handler(rc -> json(rc, audit.chainState()));
        router.get("/api/audit/events").handler(audit::stream);
    }

    private void overview(RoutingContext rc) {
        var config = gateway.runtime().config();
        JsonArray listeners = new JsonArray();
        config.listeners().forEach(l -> listeners.add(new JsonObject().put("name", l.name())
                .put("protocol", l.protocol().name()).put("address", l.address()).put("port", gateway.port(l.name()))));
        json(rc, new JsonObject()
                .put("gateway", gateway.services().instanceName())
                .put("listeners", listeners)
                .put("rate_limit_store", config.rateLimitStore().type().name().toLowerCase(java.util.Locale.ROOT))
                .put("audit_enabled", config.observability().logging().enabled())
                .put("now", Instant.now(gateway.services().clock()).toString()));
    }

    /** A static file; a request in the first moments of a start, before they are read, waits for them. */
    private void asset(RoutingContext rc) {
        if (assets.succeeded()) {
            assets.result().serve(rc);
        } else {
            assets.onComplete(ar -> {
                if (ar.succeeded()) {
                    ar.result().serve(rc);
                } else {
                    rc.fail(ar.cause());
                }
            });
        }
    }

    private void reloads(RoutingContext rc) {
        JsonArray out = new JsonArray();
        gateway.history().entries().forEach(e -> out.add(new JsonObject().put("at", e.at().toString())
                .put("result", e.result()).put("errors", new JsonArray(e.errors()))));
        json(rc, new JsonObject().put("reloads", out));
    }

    static void json(RoutingContext rc, JsonObject body) {
        rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                .end(body.encode());
    }

    @Override
    public void close() {
        untap.run();
        usage.stop();
        audit.close();
    }
}
