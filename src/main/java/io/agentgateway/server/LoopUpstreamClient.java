package io.agentgateway.server;

import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The upstream client of one listener instance, which runs on one event loop: it keeps its own
 * pool of HTTP/1.1 connections per upstream ({@link HttpClientAgent#connect}ed connections,
 * reused most-recently-freed first) and opens each request straight on a free one. Vert.x's
 * shared pool would, per request, build a new context, queue the request through its pool's
 * executor and copy the request options; the calls of one loop need none of that.
 *
 * <p>A connection is free again once its exchange ended: the response read to its end, the
 * request fully sent. One the upstream asked to close ({@code Connection: close}, an HTTP/1.0
 * answer without keep-alive), one whose request failed or was reset, and one that closed are
 * never reused. An idle connection is kept for the keep-alive time (the upstream's own
 * {@code Keep-Alive: timeout} when shorter); a sweep every few seconds closes the expired ones.
 * Only opening a connection arms a timer (the request's connect timeout, as Vert.x's pool does).
 *
 * <p>Confined to its event loop: a request made from another thread, or one the pool cannot
 * key (an absolute URI without a server address, a proxy, per-request TLS options) goes through
 * the wrapped agent's own pool, as before. The number of connections is bounded by the caller
 * (the per-upstream connection gates), not here.
 */
final class LoopUpstreamClient implements HttpClient {
    /** How often idle connections are checked for their keep-alive time. */
    static final long SWEEP_MILLIS = 5_000;

    private final Vertx vertx;
    private final HttpClientAgent agent;
    private final long keepAliveMillis;
    private final LongSupplier clock;
    private final Thread loop;
    private final Map<SocketAddress, Pool> pools = new HashMap<>();
    private final long sweep;
    private boolean closed;

    /**
     * Must be made on the event loop it serves (a verticle's start).
     *
     * @param keepAliveMillis how long an idle connection is kept
     * @param clock           milliseconds, for idle times
     */
    LoopUpstreamClient(Vertx vertx, HttpClientAgent agent, long keepAliveMillis, LongSupplier clock) {
        this.vertx = vertx;
        this.agent = agent;
        this.keepAliveMillis = keepAliveMillis;
        this.clock = clock;
        this.loop = Thread.currentThread();
        this.sweep = vertx.setPeriodic(SWEEP_MILLIS, id -> closeExpired());
    }

    @Override
    public Future<HttpClientRequest> request(RequestOptions options) {
        if (closed || Thread.currentThread() != loop || !(options.getServer() instanceof SocketAddress server)
                || options.getHost() == null || options.getPort() == null
                || options.getProxyOptions() != null || options.getSslOptions() != null) {
            return agent.request(options);
        }
        Pool pool = pool(server, options.getHost(), options.getPort(), Boolean.TRUE.equals(options.isSsl()));
        long now = clock.getAsLong();
        Pooled free;
        while ((free = pool.idle.pollLast()) != null) {
            if (free.usable(now)) {
                return free.open(options);
            }
            free.connection.close();
        }
        return pool.connect(options.getConnectTimeout()).compose(c -> c.open(options));
    }

    private Pool pool(SocketAddress server, String host, int port, boolean ssl) {
        Pool first = pools.get(server);
        for (Pool p = first; p != null; p = p.next) {
            if (p.ssl == ssl && p.port == port && p.host.equals(host)) {
                return p;
            }
        }
        Pool p = new Pool(server, host, port, ssl, first);
        pools.put(server, p);
        return p;
    }

    /** Closes the idle connections past their keep-alive time. */
    private void closeExpired() {
        long now = clock.getAsLong();
        for (Pool first : pools.values()) {
            for (Pool p = first; p != null; p = p.next) {
                p.idle.removeIf(c -> {
                    if (c.usable(now)) {
                        return false;
                    }
                    c.connection.close();
                    return true;
                });
            }
        }
    }

    /** The {@code timeout} of a {@code Keep-Alive} answer header ({@code timeout=5, max=100}) in ms, else {@code otherwise}. */
    static long keepAliveTimeout(String header, long otherwise) {
        if (header == null) {
            return otherwise;
        }
        int at = header.toLowerCase(java.util.Locale.ROOT).indexOf("timeout=");
        if (at < 0) {
            return otherwise;
        }
        long seconds = 0;
        int digits = 0;
        for (int i = at + "timeout=".length(); i < header.length() && digits < 9; i++, digits++) {
            char ch = header.charAt(i);
            if (ch < '0' || ch > '9') {
                break;
            }
            seconds = seconds * 10 + (ch - '0');
        }
        // No digits, or 0 (which Vert.x reads as no limit): the client's own keep-alive time.
        return digits == 0 || seconds == 0 ? otherwise : seconds * 1000;
    }

    /** How many idle connections the pool holds now (for tests). */
    int idleConnections() {
        int n = 0;
        for (Pool first : pools.values()) {
            for (Pool p = first; p != null; p = p.next) {
                n += p.idle.size();
            }
        }
        return n;
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
        closed = true;
        vertx.cancelTimer(sweep);
        List<Future<Void>> closing = new ArrayList<>();
        for (Pool first : pools.values()) {
            for (Pool p = first; p != null; p = p.next) {
                for (Pooled c : p.idle) {
                    closing.add(c.connection.close());
                }
                p.idle.clear();
            }
        }
        pools.clear();
        // Connections in use end with their exchanges; the agent is closed after the idle ones.
        return Future.join(closing).transform(ar -> agent.shutdown(timeout, unit));
    }

    /** The connections to one upstream (address, host name, TLS); another upstream on the same address is {@code next}. */
    private final class Pool {
        final SocketAddress server;
        final String host;
        final int port;
        final boolean ssl;
        final Pool next;
        /** Free connections, the most recently freed last. */
        final ArrayDeque<Pooled> idle = new ArrayDeque<>();
        private HttpConnectOptions connect;

        Pool(SocketAddress server, String host, int port, boolean ssl, Pool next) {
            this.server = server;
            this.host = host;
            this.port = port;
            this.ssl = ssl;
            this.next = next;
        }

        /** A new connection; within {@code timeoutMillis} when positive, else the client's connect timeout. */
        Future<Pooled> connect(long timeoutMillis) {
            if (connect == null) {
                connect = new HttpConnectOptions().setServer(server).setHost(host).setPort(port).setSsl(ssl);
            }
            Future<Pooled> opened = agent.connect(connect).map(c -> new Pooled(this, c));
            if (timeoutMillis <= 0) {
                return opened;
            }
            Promise<Pooled> within = Promise.promise();
            long timer = vertx.setTimer(timeoutMillis, id -> within.tryFail(new NoStackTraceTimeoutException(
                    "The timeout of " + timeoutMillis + " ms has been exceeded when getting a connection to " + server)));
            opened.onComplete(ar -> {
                vertx.cancelTimer(timer);
                boolean first = ar.succeeded() ? within.tryComplete(ar.result()) : within.tryFail(ar.cause());
                if (!first && ar.succeeded()) {
                    // Connected after the caller gave up: kept for the next request.
                    ar.result().release(null);
                }
            });
            return within.future();
        }
    }

    /**
     * One pooled connection, and the watcher of the exchange it carries: the request opened, its
     * response, and the response's end, after which the connection is free again.
     */
    private final class Pooled implements Completable<Object> {
        final Pool pool;
        final HttpClientConnection connection;
        boolean closed;
        /** Until when the connection may be reused once idle; set when freed. */
        long expires;
        private HttpClientResponse response;

        Pooled(Pool pool, HttpClientConnection connection) {
            this.pool = pool;
            this.connection = connection;
            connection.closeHandler(v -> {
                closed = true;
                pool.idle.remove(this);
            });
        }

        boolean usable(long now) {
            return !closed && now < expires && connection.activeStreams() == 0;
        }

        Future<HttpClientRequest> open(RequestOptions options) {
            response = null;
            Future<HttpClientRequest> opened = connection.request(options);
            opened.onComplete(this);
            return opened;
        }

        @Override
        public void complete(Object result, Throwable failure) {
            if (failure != null) {
                // A failed or reset exchange may have left the connection mid-message.
                connection.close();
            } else if (result instanceof HttpClientRequest request) {
                request.response().onComplete(this);
            } else if (result instanceof HttpClientResponse r && response == null) {
                response = r;
                r.end().onComplete(this);
            } else {
                release(response);
            }
        }

        /** The exchange ended well: back to the pool, unless the upstream wants the connection closed. */
        void release(HttpClientResponse ended) {
            if (closed || LoopUpstreamClient.this.closed) {
                connection.close();
                return;
            }
            long keepAlive = keepAliveMillis;
            if (ended != null) {
                String connectionHeader = ended.getHeader("connection");
                if (connectionHeader != null && connectionHeader.equalsIgnoreCase("close")
                        || ended.version() == HttpVersion.HTTP_1_0
                        && (connectionHeader == null || !connectionHeader.equalsIgnoreCase("keep-alive"))) {
                    connection.close();
                    return;
                }
                keepAlive = Math.min(keepAlive, keepAliveTimeout(ended.getHeader("keep-alive"), keepAlive));
            }
            expires = clock.getAsLong() + keepAlive;
            pool.idle.addLast(this);
        }
    }
}
