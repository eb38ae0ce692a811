package io.agentgateway.upstream;

import io.agentgateway.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Collection;
import java.util.Map;

/**
 * Builds one request to an upstream, the one builder under LLM, MCP and A2A: where it goes, the
 * caller's headers that may cross (an allow-list: nothing of the caller's passes unless named,
 * its credentials and cookies least of all), the credentials the gateway holds for the upstream
 * (revealed here and nowhere else), and the trace context of the call's client span. Headers set
 * later win: credentials are added last but for the trace context, so a caller cannot supply
 * its own.
 *
 * <p>The upstream's time is not set here: the caller watches the call with the loop's
 * {@link Deadlines} (a Vert.x idle timeout would be a timer per call).
 *
 * <p>One per request, on its event loop; not thread-safe.
 */
public final class UpstreamRequest {
    /**
     * Where an upstream is, from the absolute http(s) URL its config gives (already validated):
     * TLS or not, host, port and the path (with query) requests go to by default.
     */
    public record Endpoint(boolean ssl, String host, int port, String path) {
        public static Endpoint parse(String url) {
            URI uri = URI.create(url);
            boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path = path + "?" + uri.getRawQuery();
            }
            return new Endpoint(ssl, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80, path);
        }

        /** The path without its query and without a trailing slash: the base for sibling paths. */
        public String base() {
            String p = path;
            int query = p.indexOf('?');
            if (query >= 0) {
                p = p.substring(0, query);
            }
            return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        }
    }

    private final RequestOptions options;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private MultiMap trace;

    private UpstreamRequest(RequestOptions options) {
        this.options = options;
    }

    /** A request to {@code path} (with query) on {@code endpoint}. */
    public static UpstreamRequest to(Endpoint endpoint, HttpMethod method, String path) {
        return new UpstreamRequest(new RequestOptions().setMethod(method).setHost(endpoint.host()).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(path));
    }

    /** A request to an absolute URL. */
    public static UpstreamRequest to(String absoluteUrl, HttpMethod method) {
        return new UpstreamRequest(new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUrl));
    }

    public UpstreamRequest header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** Passes on the caller's headers named in {@code allowed} (as they came); every other header stays behind. */
    public UpstreamRequest allow(HttpServerRequest caller, Collection<String> allowed) {
        for (String name : allowed) {
            String v = caller.getHeader(name);
            if (v != null) {
                headers.set(name, v);
            }
        }
        return this;
    }

    /** A credential the gateway holds, as {@code scheme value} ({@code Bearer ...}) or bare when {@code scheme} is null. */
    public UpstreamRequest credential(String header, String scheme, Secret secret) {
        if (secret != null) {
            headers.set(header, scheme == null ? secret.reveal() : scheme + " " + secret.reveal());
        }
        return this;
    }

    /** The upstream's configured headers (often credentials); they win over the caller's. */
    public UpstreamRequest credentials(Map<String, Secret> configured) {
        for (Map.Entry<String, Secret> h : configured.entrySet()) {
            headers.set(h.getKey(), h.getValue().reveal());
        }
        return this;
    }

    /** The trace context of the call's client span ({@code traceparent}, B3...), added last. */
    public UpstreamRequest trace(MultiMap traceHeaders) {
        this.trace = traceHeaders;
        return this;
    }

    /** A connect timeout other than the client's default. */
    public UpstreamRequest connectTimeout(long millis) {
        options.setConnectTimeout(Math.max(1, millis));
        return this;
    }

    /** The request's method. */
    public HttpMethod method() {
        return options.getMethod();
    }

    /**
     * Where the request goes: {@code scheme://host:port/path?query}, the port always given. For
     * credentials that sign the request line (AWS SigV4).
     */
    public URI target() {
        boolean ssl = Boolean.TRUE.equals(options.isSsl());
        return URI.create((ssl ? "https" : "http") + "://" + options.getHost() + ":" + options.getPort() + options.getURI());
    }

    /** The headers as they would go out now (for a protocol to read back what it set). */
    public MultiMap headers() {
        return headers;
    }

    /**
     * Waits for a place at the upstream's {@code gate} (a 503 when there is none in time), then
     * opens the request; the place is given back when the exchange with the upstream ends (the
     * response fully read, or the request failed or was reset).
     */
    public Future<HttpClientRequest> open(HttpClient client, ConnectionGate gate) {
        return gate.acquire().compose(permit -> open(client, permit));
    }

    /** Opens the request holding {@code permit}, given back when the exchange with the upstream ends. */
    public Future<HttpClientRequest> open(HttpClient client, ConnectionGate.Permit permit) {
        return open(client).andThen(ar -> {
            if (ar.failed()) {
                permit.release();
                return;
            }
            ar.result().response().onComplete(r -> {
                if (r.failed()) {
                    permit.release();
                } else {
                    r.result().end().onComplete(end -> permit.release());
                }
            });
        });
    }

    /** Opens the request on the event loop's upstream client. */
    public Future<HttpClientRequest> open(HttpClient client) {
        if (trace != null) {
            headers.addAll(trace);
        }
        return client.request(options.setHeaders(headers));
    }
}
