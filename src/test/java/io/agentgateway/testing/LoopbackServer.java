package io.agentgateway.testing;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.TimeUnit;

/**
 * The HTTP server under a fake upstream: listening on an ephemeral loopback port once
 * {@link #start} returns, on a Vert.x of its own (so a fake behaves like a separate process), every
 * request given to the fake's handler. {@link #close()} closes its Vert.x, which ends every
 * connection; it never throws.
 */
public final class LoopbackServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private LoopbackServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static LoopbackServer start(Handler<HttpServerRequest> handler) {
        return start(new HttpServerOptions(), handler);
    }

    /** As {@link #start(Handler)}, with these server options (cleartext HTTP/2, say). */
    public static LoopbackServer start(HttpServerOptions options, Handler<HttpServerRequest> handler) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(options).requestHandler(handler).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            return new LoopbackServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake upstream did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Its Vert.x, for timers of the fake's scripted behaviour. */
    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }
}
