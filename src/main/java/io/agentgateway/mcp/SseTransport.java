package io.agentgateway.mcp;

import io.agentgateway.upstream.SseDecoder;
import io.agentgateway.config.McpServerConfig;
import io.agentgateway.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) as a client: a GET opens the event stream, whose
 * first {@code endpoint} event names where to POST messages; answers come back as
 * {@code message} events. The endpoint must be on the configured server's origin: the gateway
 * never posts to an address an upstream picks.
 *
 * <p>Thread-safe.
 */
final class SseTransport implements ChannelTransport {
    private final Vertx vertx;
    private final HttpClient client;
    private final String name;
    private final URI url;
    private final Map<String, Secret> headers;
    private final Duration timeout;
    private volatile HttpClientRequest stream;
    private volatile URI endpoint;
    private volatile boolean closing;

    SseTransport(Vertx vertx, HttpClient client, McpServerConfig config) {
        this.vertx = vertx;
        this.client = client;
        this.name = config.name();
        this.url = URI.create(config.url());
        this.headers = config.headers();
        this.timeout = config.timeout();
    }

    @Override
    public Future<Void> start(Consumer<Buffer> inbound, Consumer<String> closed) {
        Promise<Void> started = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
            if (started.tryFail("MCP server " + name + " sent no endpoint event within " + timeout.toMillis() + "ms")) {
                close();
            }
        });
        started.future().onComplete(ar -> vertx.cancelTimer(timer));
        RequestOptions o = options(HttpMethod.GET, url).putHeader("accept", "text/event-stream");
        client.request(o).compose(req -> {
            stream = req;
            return req.send();
        }).onComplete(ar -> {
            if (ar.failed()) {
                started.tryFail("MCP server " + name + " cannot be reached: " + ar.cause().getMessage());
                closed.accept("cannot be reached");
                return;
            }
            var response = ar.result();
            String type = response.getHeader("content-type");
            if (response.statusCode() != 200 || type == null || !type.startsWith("text/event-stream")) {
                response.body();
                started.tryFail("MCP server " + name + " answered the SSE GET with HTTP " + response.statusCode());
                closed.accept("refused the event stream");
                return;
            }
            boolean[] ended = new boolean[1];
            SseDecoder parser = new SseDecoder(event -> {
                if ("endpoint".equals(event.event())) {
                    URI resolved = url.resolve(event.data().trim());
                    if (!sameOrigin(resolved)) {
                        started.tryFail("MCP server " + name + " named an endpoint on another origin");
                        close();
                        return;
                    }
                    endpoint = resolved;
                    started.tryComplete();
                } else if ("message".equals(event.type()) && !event.data().isEmpty()) {
                    inbound.accept(Buffer.buffer(event.data()));
                }
            });
            Runnable end = () -> {
                if (!ended[0]) {
                    ended[0] = true;
                    started.tryFail("MCP server " + name + " closed the event stream");
                    closed.accept(closing ? "stopped" : "closed its event stream");
                }
            };
            response.handler(parser::feed);
            response.exceptionHandler(e -> end.run());
            response.endHandler(v -> end.run());
        });
        return started.future();
    }

    private boolean sameOrigin(URI other) {
        return url.getScheme().equalsIgnoreCase(other.getScheme()) && url.getHost().equalsIgnoreCase(other.getHost())
                && port(url) == port(other);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    @Override
    public Future<Void> send(Buffer message) {
        URI to = endpoint;
        if (to == null) {
            return Future.failedFuture("MCP server " + name + " is not connected");
        }
        return client.request(options(HttpMethod.POST, to).putHeader("content-type", "application/json"))
                .compose(req -> req.send(message))
                .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture("MCP server " + name + " refused a message with HTTP " + response.statusCode())));
    }

    private RequestOptions options(HttpMethod method, URI to) {
        RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(to.toString())
                .setConnectTimeout(Math.max(1, timeout.toMillis()));
        headers.forEach((k, v) -> o.putHeader(k, v.reveal()));
        return o;
    }

    @Override
    public void close() {
        closing = true;
        HttpClientRequest s = stream;
        if (s != null) {
            s.reset();
        }
    }
}
