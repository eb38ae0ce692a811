package io.agentgateway.upstream;

import io.agentgateway.config.Secret;
import io.netty.util.AsciiString;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds one request to an upstream, the one builder under LLM, MCP and A2A: where it goes, the
 * caller's headers that may cross (an allow-list: nothing of the caller's passes unless named,
 * its credentials and cookies least of all), the credentials the gateway holds for the upstream
 * (revealed here and nowhere else), and the trace context of the call's client span. Headers set
 * later win: credentials are added last but for the trace context, so a caller cannot supply
 * its own.
 *
 * <p>The headers are kept as a few name/value pairs and written straight onto the
 * {@link HttpClientRequest} once it exists: a {@link MultiMap} handed to Vert.x in the
 * {@link RequestOptions} would be copied into the request's own headers first. Names the
 * gateway sends on every call are prebuilt {@link AsciiString}s (hash and text computed once); a
 * credential's rendered value ({@code Bearer ...}) is kept by its {@link Secret}.
 *
 * <p>The upstream's time is not set here: the caller watches the call with the loop's
 * {@link Deadlines} (a Vert.x idle timeout would be a timer per call).
 *
 * <p>One per request, on its event loop; not thread-safe.
 */
public final class UpstreamRequest {
    /**
     * Where an upstream is, from the absolute http(s) URL its config gives (already validated):
     * TLS or not, host, port and the path (with query) requests go to by default; {@code server}
     * is the socket address built once from host and port (Vert.x would build and parse it on
     * every request otherwise).
     */
    public record Endpoint(boolean ssl, String host, int port, String path, SocketAddress server) {
        public Endpoint(boolean ssl, String host, int port, String path) {
            this(ssl, host, port, path, SocketAddress.inetSocketAddress(port, host));
        }

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

    /** Absolute URLs already parsed ({@link #to(String, HttpMethod)}): configured ones, so few. */
    private static final Map<String, Endpoint> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 1024;

    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
    private static final CharSequence ACCEPT = HttpHeaders.createOptimized("accept");
    private static final CharSequence AUTHORIZATION = HttpHeaders.createOptimized("authorization");
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
    private static final CharSequence JSON_OR_EVENT_STREAM = HttpHeaders.createOptimized("application/json, text/event-stream");

    private final RequestOptions options;
    /** Name, value, name, value...: set semantics (a name appears once, case-insensitively). */
    private CharSequence[] pairs = new CharSequence[16];
    private int size;
    private MultiMap trace;

    private UpstreamRequest(RequestOptions options) {
        this.options = options;
    }

    /** A request to {@code path} (with query) on {@code endpoint}. */
    public static UpstreamRequest to(Endpoint endpoint, HttpMethod method, String path) {
        return new UpstreamRequest(new RequestOptions().setMethod(method).setServer(endpoint.server())
                .setHost(endpoint.host()).setPort(endpoint.port()).setSsl(endpoint.ssl()).setURI(path));
    }

    /** A request to an absolute http(s) URL (parsed once per distinct URL). */
    public static UpstreamRequest to(String absoluteUrl, HttpMethod method) {
        Endpoint endpoint = PARSED.get(absoluteUrl);
        if (endpoint == null) {
            endpoint = httpEndpoint(absoluteUrl);
            if (endpoint == null) {
                // Not a plain http(s) URL with a host: Vert.x's own parse, and its error, as always.
                return new UpstreamRequest(new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUrl));
            }
            if (PARSED.size() < PARSED_MAX) {
                PARSED.put(absoluteUrl, endpoint);
            }
        }
        return to(endpoint, method, endpoint.path());
    }

    private static Endpoint httpEndpoint(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return null;
            }
            return Endpoint.parse(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public UpstreamRequest header(String name, String value) {
        return set(known(name), value);
    }

    /** As {@link #header(String, String)}, for names and values prebuilt with {@link HttpHeaders#createOptimized}. */
    public UpstreamRequest header(CharSequence name, CharSequence value) {
        return set(name, value);
    }

    /** Passes on the caller's headers named in {@code allowed} (as they came); every other header stays behind. */
    public UpstreamRequest allow(HttpServerRequest caller, Collection<String> allowed) {
        for (String name : allowed) {
            String v = caller.getHeader(name);
            if (v != null) {
                set(name, v);
            }
        }
        return this;
    }

    /** A credential the gateway holds, as {@code scheme value} ({@code Bearer ...}) or bare when {@code scheme} is null. */
    public UpstreamRequest credential(String header, String scheme, Secret secret) {
        if (secret != null) {
            // The Secret keeps its rendered form: no lock, no table shared by the event loops.
            set(known(header), scheme == null ? secret.reveal() : secret.reveal(scheme));
        }
        return this;
    }

    /** The upstream's configured headers (often credentials); they win over the caller's. */
    public UpstreamRequest credentials(Map<String, Secret> configured) {
        for (Map.Entry<String, Secret> h : configured.entrySet()) {
            set(h.getKey(), h.getValue().reveal());
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

    /** The value the request carries for header {@code name} now, or null. */
    public String header(String name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[i + 1].toString();
    }

    /**
     * A copy of the headers as they would go out now (for a protocol to read back what it set);
     * changing it changes nothing.
     */
    public MultiMap headers() {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < size; i += 2) {
            copy.set(pairs[i], pairs[i + 1]);
        }
        if (trace != null) {
            for (Map.Entry<String, String> h : trace) {
                copy.set(h.getKey(), h.getValue());
            }
        }
        return copy;
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
        Future<HttpClientRequest> opened = open(client);
        opened.onComplete(new PermitHolder(permit));
        return opened;
    }

    /** Opens the request on the event loop's upstream client. */
    public Future<HttpClientRequest> open(HttpClient client) {
        Future<HttpClientRequest> opened = client.request(options);
        if (opened.isComplete()) {
            // A pooled connection was free: the request exists already, no step to chain.
            return opened.succeeded() ? withHeaders(opened.result(), opened) : opened;
        }
        return opened.compose(request -> withHeaders(request, null));
    }

    /** Writes the headers onto the request; {@code same} is returned when given and all went well. */
    private Future<HttpClientRequest> withHeaders(HttpClientRequest request, Future<HttpClientRequest> same) {
        try {
            MultiMap out = request.headers();
            for (int i = 0; i < size; i += 2) {
                out.set(pairs[i], pairs[i + 1]);
            }
            if (trace != null && !trace.isEmpty()) {
                for (Map.Entry<String, String> h : trace) {
                    out.set(h.getKey(), h.getValue());
                }
            }
        } catch (IllegalArgumentException e) {
            // A header value Vert.x refuses to send (a line break in a configured header).
            request.reset();
            return Future.failedFuture(e);
        }
        return same != null ? same : Future.succeededFuture(request);
    }

    private UpstreamRequest set(CharSequence name, CharSequence value) {
        int i = indexOf(name);
        if (i >= 0) {
            pairs[i + 1] = value;
            return this;
        }
        if (size == pairs.length) {
            pairs = Arrays.copyOf(pairs, size * 2);
        }
        pairs[size++] = name;
        pairs[size++] = value;
        return this;
    }

    private int indexOf(CharSequence name) {
        for (int i = 0; i < size; i += 2) {
            if (AsciiString.contentEqualsIgnoreCase(pairs[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** The prebuilt name for a header every call sends, else {@code name} itself. */
    private static CharSequence known(String name) {
        return switch (name) {
            case "content-type" -> CONTENT_TYPE;
            case "accept" -> ACCEPT;
            case "authorization" -> AUTHORIZATION;
            case "x-request-id" -> REQUEST_ID;
            default -> name;
        };
    }

    /** The prebuilt value for a media type every call sends, else {@code value} itself. */
    private static CharSequence known(CharSequence name, String value) {
        if (name != CONTENT_TYPE && name != ACCEPT) {
            return value;
        }
        return switch (value) {
            case "application/json" -> JSON;
            case "text/event-stream" -> EVENT_STREAM;
            case "application/json, text/event-stream" -> JSON_OR_EVENT_STREAM;
            default -> value;
        };
    }

    private UpstreamRequest set(CharSequence name, String value) {
        return set(name, known(name, value));
    }

    /**
     * Gives the permit back when the exchange with the upstream ends: the request failed to open,
     * the response failed, or the response was read to its end. One object for the three steps.
     */
    private static final class PermitHolder implements Completable<Object> {
        private final ConnectionGate.Permit permit;
        private boolean responded;

        PermitHolder(ConnectionGate.Permit permit) {
            this.permit = permit;
        }

        @Override
        public void complete(Object result, Throwable failure) {
            if (failure != null) {
                permit.release();
            } else if (result instanceof HttpClientRequest request) {
                request.response().onComplete(this);
            } else if (!responded && result instanceof HttpClientResponse response) {
                responded = true;
                response.end().onComplete(this);
            } else {
                permit.release();
            }
        }
    }
}
