package io.agentgateway.identity;

import com.nimbusds.jose.JWSAlgorithm;
import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.KubernetesApiConfig;
import io.agentgateway.kube.HttpExchange;
import io.agentgateway.kube.IdentityHttpClients;
import io.agentgateway.kube.KubernetesApi;
import io.agentgateway.kube.TokenFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles the token and certificate methods of {@code security.authentication} ({@code kubernetes},
 * {@code jwt}, {@code mtls}) into authenticators. Blocking (it reads the cluster CA): call it where
 * configs are compiled, off the event loop. Problems only compiling can find are added to
 * {@code errors} with their key path; an environment that cannot serve a method (kubernetes auth
 * outside a cluster, no {@code api_server}) is not an error — the config stays valid on a laptop —
 * but is reported through {@code notReady} and answers 503 with the reason.
 */
public final class AuthenticatorCompiler {
    private static final Logger log = LoggerFactory.getLogger(AuthenticatorCompiler.class);
    /** Each cache holds at most this many verified tokens. */
    static final int CACHE_ENTRIES = 10_000;
    private static final Duration TOKEN_FILE_REFRESH = Duration.ofMinutes(1);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KEYS_MAX_AGE = Duration.ofMinutes(10);
    private static final Duration KEYS_MIN_REFRESH = Duration.ofSeconds(15);
    private static final int MAX_DOCUMENT = 1 << 20;

    /** What outlives a config: the Vert.x instance, the clock, the environment, the shared HTTP clients. */
    public record Environment(Vertx vertx, Clock clock, Function<String, String> env, IdentityHttpClients http, Path baseDir) {
    }

    private final Environment environment;
    private final List<ConfigError> errors;
    private final List<String> notReady;

    public AuthenticatorCompiler(Environment environment, List<ConfigError> errors, List<String> notReady) {
        this.environment = environment;
        this.errors = errors;
        this.notReady = notReady;
    }

    /** The authenticator for method {@code m} at key path {@code at}; null when it has errors (added to the list). */
    public Authenticator compile(AuthMethodConfig m, String at) {
        return switch (m.type()) {
            case KUBERNETES -> kubernetes(m, at);
            case JWT -> jwt(m, at);
            case MTLS -> new MtlsAuthenticator(m.trustDomain());
            case API_KEY, NONE -> throw new IllegalArgumentException(m.type() + " is compiled elsewhere");
        };
    }

    private Authenticator kubernetes(AuthMethodConfig m, String at) {
        KubernetesApiConfig k = m.kubernetes();
        boolean review = m.serviceAccountValidation();
        Set<JWSAlgorithm> algorithms = algorithms(m, at);
        Optional<URI> apiServer = KubernetesApi.locate(k.apiServer(), environment.env());
        if (apiServer.isEmpty() && (review || k.issuer() == null)) {
            String reason = "kubernetes authentication has no API server: not running in a cluster (KUBERNETES_SERVICE_HOST is not set) and "
                    + at + ".kubernetes.api_server is not configured";
            notReady.add(at + ": " + reason);
            return new UnconfiguredAuthenticator("kubernetes", reason);
        }
        VerifiedTokens cache = new VerifiedTokens(environment.clock(), k.cacheTtl(), CACHE_ENTRIES,
                TokenCacheStats.of(environment.vertx(), TokenCacheStats.KUBERNETES));
        KubernetesApi api = apiServer.map(uri -> api(uri, k, at)).orElse(null);
        if (apiServer.isPresent() && api == null) {
            return null;
        }
        if (review) {
            return new TokenReviewAuthenticator(api, m.audiences(), cache);
        }
        IssuerKeys keys;
        if (api != null) {
            // The API server serves its own issuer's discovery document and keys whatever the
            // issuer's name; kubernetes.issuer, when set, is what tokens must carry.
            IssuerKeys.Fetcher fetcher = uri -> api.sameOrigin(uri) ? api.get(uri) : publicGet(uri);
            keys = new IssuerKeys(fetcher, api.base().resolve("/.well-known/openid-configuration"),
                    api.base().resolve("/openid/v1/jwks"), k.issuer(), environment.clock(), KEYS_MAX_AGE, KEYS_MIN_REFRESH);
        } else {
            keys = new IssuerKeys(this::publicGet, discovery(k.issuer()), null, k.issuer(), environment.clock(),
                    KEYS_MAX_AGE, KEYS_MIN_REFRESH);
        }
        return algorithms == null ? null : new JwtAuthenticator("kubernetes", keys, algorithms, m.audiences(), m.clockSkew(),
                environment.clock(), cache, ClaimsPrincipals.kubernetes());
    }

    private KubernetesApi api(URI uri, KubernetesApiConfig k, String at) {
        Buffer ca = null;
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            Path caFile = resolve(k.caFile());
            if (Files.isReadable(caFile)) {
                try {
                    ca = Buffer.buffer(Files.readAllBytes(caFile));
                } catch (IOException e) {
                    errors.add(new ConfigError(at + ".kubernetes.ca_file", "cannot read " + caFile + ": " + e.getMessage()));
                    return null;
                }
            } else if (k.caFile().equals(KubernetesApiConfig.SA_DIR + "/ca.crt")) {
                log.info("{}: no cluster CA at {}; the API server's certificate is checked against the JVM's trust store", at, caFile);
            } else {
                errors.add(new ConfigError(at + ".kubernetes.ca_file", "file not found: " + caFile));
                return null;
            }
        }
        TokenFile token = new TokenFile(environment.vertx(), resolve(k.tokenFile()).toString(), environment.clock(), TOKEN_FILE_REFRESH);
        return new KubernetesApi(environment.http().trusting(ca), uri, token, CALL_TIMEOUT);
    }

    private Authenticator jwt(AuthMethodConfig m, String at) {
        Set<JWSAlgorithm> algorithms = algorithms(m, at);
        String issuer = m.issuer();
        if (algorithms == null || issuer == null) {
            return null;
        }
        URI jwks = m.jwksUri() == null ? null : URI.create(m.jwksUri());
        IssuerKeys keys = new IssuerKeys(this::publicGet, jwks == null ? discovery(issuer) : null, jwks, issuer,
                environment.clock(), KEYS_MAX_AGE, KEYS_MIN_REFRESH);
        return new JwtAuthenticator("jwt", keys, algorithms, m.audiences(), m.clockSkew(), environment.clock(),
                new VerifiedTokens(environment.clock(), m.cacheTtl(), CACHE_ENTRIES, TokenCacheStats.of(environment.vertx(), TokenCacheStats.JWT)),
                ClaimsPrincipals.named(m.namespaceClaim(), m.serviceAccountClaim()));
    }

    private Set<JWSAlgorithm> algorithms(AuthMethodConfig m, String at) {
        if (m.algorithms().isEmpty()) {
            return JwtAlgorithms.ASYMMETRIC;
        }
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < m.algorithms().size(); i++) {
            try {
                out.addAll(JwtAlgorithms.parse(List.of(m.algorithms().get(i))));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(at + ".algorithms[" + i + "]", e.getMessage()));
                ok = false;
            }
        }
        return ok ? out : null;
    }

    /** OpenID Connect Discovery 1.0 §4: the issuer without a trailing slash, then the well-known path. */
    private static URI discovery(String issuer) {
        return URI.create(strip(issuer) + "/.well-known/openid-configuration");
    }

    private static String strip(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private Future<Buffer> publicGet(URI uri) {
        return HttpExchange.send(environment.http().trusting(null), HttpMethod.GET, uri, null, null, CALL_TIMEOUT, MAX_DOCUMENT)
                .compose(r -> r.status() == 200 ? Future.succeededFuture(r.body())
                        : Future.failedFuture("HTTP " + r.status()));
    }

    private Path resolve(String file) {
        Path p = Path.of(file);
        return environment.baseDir() == null || p.isAbsolute() ? p : environment.baseDir().resolve(p);
    }
}
