package io.agentgateway.server;

import io.agentgateway.config.ConnectionPoolConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One instance of one listener, deployed once per event loop: its own server socket (the kernel
 * spreads connections over the instances) and its own upstream client, so a request and its
 * upstream call stay on one thread. Handlers are looked up per request in {@link ListenerRoutes}.
 */
public final class ListenerVerticle extends VerticleBase {
    /** How long an idle upstream connection is kept open. */
    private static final int KEEP_ALIVE_SECONDS = 60;

    private final ListenerConfig config;
    private final ListenerRoutes routes;
    private final Path baseDir;
    private final IntConsumer boundPort;
    private final int port;
    private HttpServer server;
    private HttpClient client;
    private ListenerContext context;

    /**
     * @param port      the port to bind: the configured one, or the one the first instance got
     *                  when the config asks for an ephemeral port (0)
     * @param boundPort told the actual port once bound
     */
    public ListenerVerticle(ListenerConfig config, int port, ListenerRoutes routes, Path baseDir, IntConsumer boundPort) {
        this.config = config;
        this.port = port;
        this.routes = routes;
        this.baseDir = baseDir;
        this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
        HttpClientAgent agent = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setConnectTimeout((int) ListenerContext.DEFAULT_CONNECT_TIMEOUT_MILLIS)
                        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                        .setMaxHeaderSize(64 * 1024)
                        .setDecompressionSupported(false)
                        .setName("upstream-" + config.name()),
                // Sized above any connection_pool.max_connections: the per-upstream ConnectionGate is the
                // one visible, bounded queue; this pool must never hold requests back on its own.
                new PoolOptions().setHttp1MaxSize(ConnectionPoolConfig.MAX_CONNECTIONS_CEILING).setMaxWaitQueueSize(-1));
        // Requests of this loop go out on the loop's own connections (no context and pool queue per request).
        client = new LoopUpstreamClient(vertx, agent, TimeUnit.SECONDS.toMillis(KEEP_ALIVE_SECONDS), System::currentTimeMillis);
        context = new ListenerContext(vertx, config, client);
        server = vertx.createHttpServer(serverOptions());
        server.requestHandler(this::handle);
        return server.listen(port, config.address()).onSuccess(s -> boundPort.accept(s.actualPort()));
    }

    private void handle(HttpServerRequest request) {
        // Paused until a handler wants the body: authentication may take a round trip first.
        request.pause();
        ProtocolHandler handler = routes.handler(config.name());
        if (handler == null) {
            request.response().setStatusCode(503).putHeader("Connection", "close").end();
            return;
        }
        handler.handle(request, context);
    }

    private HttpServerOptions serverOptions() {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxHeaderSize((int) config.maxHeaderSize().bytes())
                // curl and others send Expect: 100-continue for larger bodies and wait for the go-ahead
                .setHandle100ContinueAutomatically(true)
                // The same limit for HTTP/2 over TLS (ALPN). Cleartext HTTP/2 is off: on an h2c upgrade
                // Vert.x serves the request with an over-long header silently dropped instead of
                // refusing it (and h2c upgrades are a request-smuggling vector behind proxies).
                .setInitialSettings(new io.vertx.core.http.Http2Settings().setMaxHeaderListSize(config.maxHeaderSize().bytes()))
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) config.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                // Not setStrictThreadMode(true): it saves each write's hop through the connection's
                // MPSC queue, but turns a write from any other thread into an IllegalStateException,
                // i.e. a lost answer instead of a late one. The shared paths return to the caller's
                // loop (RedisCommands.onCaller, CallerContext.rejoin for TokenReview and JWKS,
                // ConnectionGate grants), but not every path can be shown to: MCP stdio channels
                // complete calls from their reader threads, and protocol code completes plain
                // Promise.promise() futures from other contexts.
                .setReuseAddress(true);
        TlsConfig tls = config.tls();
        if (tls != null) {
            options.setSsl(true)
                    .setUseAlpn(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(resolve(tls.certFile()))
                            .setKeyPath(resolve(tls.keyFile())));
            if (tls.clientCaFile() != null) {
                options.setTrustOptions(new PemTrustOptions().addCertPath(resolve(tls.clientCaFile())))
                        .setClientAuth(tls.clientAuth() == TlsConfig.ClientAuth.REQUIRED ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
            }
        }
        return options;
    }

    private String resolve(String file) {
        return baseDir == null ? file : baseDir.resolve(file).toString();
    }

    @Override
    public Future<?> stop() {
        // The loop's upstream deadlines sweep (a timer of this verticle's context) ends with it.
        return server.shutdown(0, TimeUnit.SECONDS).eventually(() -> client.close());
    }

    /** Stops accepting and lets open requests finish for up to {@code graceMillis}. */
    public Future<Void> shutdownGracefully(long graceMillis) {
        return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
    }
}
