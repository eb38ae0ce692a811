package io.agentgateway.kube;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Kubernetes API server as the gateway uses it: TokenReviews and reads of its OIDC discovery
 * endpoints, over a non-blocking Vert.x client that trusts the cluster CA, authenticated with the
 * gateway's own (rotating) service-account token. The token is sent only to the API server's own
 * origin.
 *
 * <p>Immutable and thread-safe. Every failure is a {@link KubernetesApiException}.
 */
public final class KubernetesApi {
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final int MAX_BODY = 1 << 20;

    private final HttpClient client;
    private final URI base;
    private final TokenFile token;
    private final Duration timeout;

    public KubernetesApi(HttpClient client, URI base, TokenFile token, Duration timeout) {
        this.client = Objects.requireNonNull(client);
        this.base = Objects.requireNonNull(base);
        this.token = Objects.requireNonNull(token);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * Where the API server is: {@code configured} when set, else the in-cluster address from
     * {@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT} (default 443); empty
     * outside a cluster.
     */
    public static Optional<URI> locate(String configured, Function<String, String> env) {
        if (configured != null) {
            return Optional.of(URI.create(strip(configured)));
        }
        String host = env.apply("KUBERNETES_SERVICE_HOST");
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        String port = env.apply("KUBERNETES_SERVICE_PORT");
        host = host.trim();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return Optional.of(URI.create("https://" + host + ":" + (port == null || port.isBlank() ? "443" : port.trim())));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public URI base() {
        return base;
    }

    /** Whether {@code uri} is on the API server itself (and so may carry the gateway's token). */
    public boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme())
                && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /**
     * {@code POST /apis/authentication.k8s.io/v1/tokenreviews}: asks the API server whether
     * {@code bearer} is a valid token for {@code audiences}.
     */
    public Future<TokenReview> reviewToken(String bearer, List<String> audiences) {
        Buffer body = TokenReview.request(bearer, audiences).toBuffer();
        URI uri = base.resolve(TOKEN_REVIEWS);
        return token.current()
                .compose(own -> HttpExchange.send(client, HttpMethod.POST, uri, own, body, timeout, MAX_BODY))
                .recover(e -> Future.failedFuture(unreachable(e)))
                .compose(r -> {
                    if (r.status() == 200 || r.status() == 201) {
                        try {
                            return Future.succeededFuture(TokenReview.parse(new JsonObject(r.body())));
                        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
                            return Future.failedFuture(new KubernetesApiException("the Kubernetes API server at " + base
                                    + " answered the TokenReview with something that is not a TokenReview"));
                        }
                    }
                    return Future.failedFuture(refused("TokenReview", r, "create on tokenreviews.authentication.k8s.io"));
                });
    }

    /** GET of a JSON document on the API server (OIDC discovery, JWKS), with the gateway's token. */
    public Future<Buffer> get(URI uri) {
        if (!sameOrigin(uri)) {
            throw new IllegalArgumentException(uri + " is not on the API server " + base);
        }
        return token.current()
                .compose(own -> HttpExchange.send(client, HttpMethod.GET, uri, own, null, timeout, MAX_BODY))
                .recover(e -> Future.failedFuture(unreachable(e)))
                .compose(r -> r.status() == 200 ? Future.succeededFuture(r.body())
                        : Future.failedFuture(refused("GET " + uri.getPath(), r,
                        "get on the nonResourceURLs /.well-known/openid-configuration and /openid/v1/jwks")));
    }

    private Throwable unreachable(Throwable e) {
        if (e instanceof KubernetesApiException) {
            return e;
        }
        return new KubernetesApiException("the Kubernetes API server at " + base + " is unreachable: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }

    private KubernetesApiException refused(String what, HttpExchange.Response r, String permission) {
        if (r.status() == 401 || r.status() == 403) {
            return new KubernetesApiException("the Kubernetes API server at " + base + " refused the gateway's " + what
                    + " (HTTP " + r.status() + "): check the gateway's token (" + token.path() + ") and that its service account may "
                    + permission);
        }
        return new KubernetesApiException("the Kubernetes API server at " + base + " answered the gateway's " + what
                + " with HTTP " + r.status());
    }
}
