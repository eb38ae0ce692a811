package io.agentgateway.runtime;

import io.agentgateway.config.ListenerConfig;
import io.agentgateway.server.ListenerRoutes;
import io.agentgateway.server.ListenerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One listener's verticle instances, one per event loop, sharing one server socket: Vert.x hands
 * accepted connections to the instances in turn, so every loop serves.
 */
final class ListenerDeployment {
    private final Vertx vertx;
    private final ListenerConfig config;
    private final ListenerRoutes routes;
    private final Path baseDir;
    private final int instances;
    private final List<ListenerVerticle> verticles = new CopyOnWriteArrayList<>();
    private final List<String> deploymentIds = new ArrayList<>();
    private volatile int port = -1;

    ListenerDeployment(Vertx vertx, ListenerConfig config, ListenerRoutes routes, Path baseDir, int instances) {
        this.vertx = vertx;
        this.config = config;
        this.routes = routes;
        this.baseDir = baseDir;
        this.instances = instances;
    }

    Future<Void> deploy() {
        // Vert.x shares one server socket among instances that listen on the same configured
        // port, but instances asked for port 0 would each get their own: pick the port first.
        int bindPort = config.port();
        if (bindPort == 0) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(config.address()))) {
                bindPort = probe.getLocalPort();
            } catch (IOException e) {
                return Future.failedFuture(cannotListen(describe(), config.address(), 0, e));
            }
        }
        return deployInstances(bindPort, instances)
                .recover(e -> Future.failedFuture(cannotListen(describe(), config.address(), config.port(), e)));
    }

    private String describe() {
        return "listener " + config.name() + " (" + config.protocol() + ")";
    }

    /**
     * A socket that could not be opened, as one line naming what wanted it, the address and the
     * port ({@code listener llm (HTTP) cannot listen on 127.0.0.1:8080: Address already in use}),
     * without the transport's wording ({@code bind(..) failed with error(-98): }).
     */
    static BindException cannotListen(String what, String address, int port, Throwable cause) {
        String reason = String.valueOf(cause.getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
        BindException e = new BindException(what + " cannot listen on " + address + ":" + port + ": " + reason);
        e.initCause(cause);
        return e;
    }

    private Future<Void> deployInstances(int bindPort, int count) {
        return vertx.deployVerticle(() -> {
            ListenerVerticle v = new ListenerVerticle(config, bindPort, routes, baseDir, this::bound);
            verticles.add(v);
            return v;
        }, new DeploymentOptions().setInstances(count)).map(id -> {
            deploymentIds.add(id);
            return null;
        });
    }

    /** Stops accepting, waits up to {@code grace} for open requests, then undeploys. */
    Future<Void> stop(Duration grace) {
        List<Future<Void>> shutdowns = new ArrayList<>();
        for (ListenerVerticle v : verticles) {
            shutdowns.add(v.shutdownGracefully(grace.toMillis()));
        }
        return Future.join(shutdowns).transform(ar -> {
            List<Future<Void>> undeploys = new ArrayList<>();
            for (String id : deploymentIds) {
                undeploys.add(vertx.undeploy(id));
            }
            return Future.join(undeploys).<Void>mapEmpty();
        }).recover(e -> Future.succeededFuture());
    }

    private synchronized void bound(int actual) {
        port = actual;
    }

    ListenerConfig config() {
        return config;
    }

    int port() {
        return port;
    }
}
