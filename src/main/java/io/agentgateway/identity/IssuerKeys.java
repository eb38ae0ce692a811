package io.agentgateway.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.agentgateway.kube.CallerContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An OIDC issuer's signing keys: its discovery document ({@code /.well-known/openid-configuration},
 * for the issuer name and {@code jwks_uri}) and JWKS, fetched over Vert.x and cached. Keys are
 * fetched again when older than {@code maxAge}, and when a token names a key id the cache does
 * not hold (a key rotation) — but at most once per {@code minRefresh}, so tokens with made-up
 * key ids cannot make the gateway hammer the issuer. Only public asymmetric signing keys are
 * kept: a symmetric ({@code oct}) or encryption key in a JWKS is dropped.
 *
 * <p>Thread-safe. Failures are {@link AuthenticationException#unavailable} (503); when a refresh
 * fails the last keys stay in use.
 */
final class IssuerKeys {
    private static final Logger log = LoggerFactory.getLogger(IssuerKeys.class);

    /** Fetches a JSON document; failure messages are safe to show a caller. */
    interface Fetcher {
        Future<Buffer> get(URI uri);
    }

    /** The issuer's name (as tokens carry it in {@code iss}) and its keys at one moment. */
    record Snapshot(String issuer, JWKSet keys, Instant fetchedAt) {
    }

    private final Fetcher fetcher;
    private final URI discovery;
    private final URI jwksUri;
    private final String expectedIssuer;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration minRefresh;
    private Snapshot snapshot;
    private Instant lastAttempt;
    private Future<Snapshot> loading;

    /**
     * @param discovery      the discovery document, or null to go straight to {@code jwksUri}
     * @param jwksUri        where the keys are; null to take {@code jwks_uri} from discovery
     * @param expectedIssuer the issuer tokens must carry; null to take it from discovery
     */
    IssuerKeys(Fetcher fetcher, URI discovery, URI jwksUri, String expectedIssuer, Clock clock,
               Duration maxAge, Duration minRefresh) {
        if (discovery == null && (jwksUri == null || expectedIssuer == null)) {
            throw new IllegalArgumentException("without discovery both jwks_uri and the issuer are needed");
        }
        this.fetcher = fetcher;
        this.discovery = discovery;
        this.jwksUri = jwksUri;
        this.expectedIssuer = expectedIssuer;
        this.clock = clock;
        this.maxAge = maxAge;
        this.minRefresh = minRefresh;
    }

    /** The keys: cached while fresh. */
    Future<Snapshot> current() {
        return get(false);
    }

    /** The keys after a token named a key id they lack: fetched again unless that was done within {@code minRefresh}. */
    Future<Snapshot> refreshForUnknownKey() {
        return get(true);
    }

    private Future<Snapshot> get(boolean unknownKey) {
        Future<Snapshot> pending;
        synchronized (this) {
            Instant now = clock.instant();
            boolean fresh = snapshot != null && now.isBefore(snapshot.fetchedAt().plus(maxAge)) && !unknownKey;
            boolean recentlyTried = lastAttempt != null && now.isBefore(lastAttempt.plus(minRefresh));
            if (fresh || (snapshot != null && recentlyTried && loading == null)) {
                return Future.succeededFuture(snapshot);
            }
            pending = loading;
            if (pending == null) {
                lastAttempt = now;
                // Published before the fetch starts: a fetch that completes at once must still find it here to clear.
                Promise<Snapshot> fetched = Promise.promise();
                loading = pending = fetched.future();
                Snapshot previous = snapshot;
                load().onComplete(ar -> fetched.handle(loaded(ar, previous)));
            }
        }
        return CallerContext.rejoin(pending);
    }

    private synchronized AsyncResult<Snapshot> loaded(AsyncResult<Snapshot> ar, Snapshot previous) {
        loading = null;
        if (ar.succeeded()) {
            snapshot = ar.result();
            return ar;
        }
        if (previous != null) {
            log.warn("keeping the signing keys fetched at {}: {}", previous.fetchedAt(), ar.cause().getMessage());
            return Future.succeededFuture(previous);
        }
        return ar;
    }

    private Future<Snapshot> load() {
        Future<Discovered> discovered = discovery == null
                ? Future.succeededFuture(new Discovered(expectedIssuer, jwksUri))
                : fetch(discovery, "OIDC discovery document").compose(this::discovered);
        return discovered.compose(d -> fetch(d.jwksUri(), "JWKS").compose(body -> {
            try {
                return Future.succeededFuture(new Snapshot(d.issuer(), signingKeys(JWKSet.parse(body.toString())), clock.instant()));
            } catch (ParseException e) {
                return Future.failedFuture(AuthenticationException.unavailable("the JWKS at " + d.jwksUri()
                        + " is not a JSON Web Key Set: " + e.getMessage()));
            }
        }));
    }

    private record Discovered(String issuer, URI jwksUri) {
    }

    private Future<Discovered> discovered(Buffer body) {
        try {
            JsonObject doc = new JsonObject(body);
            String issuer = doc.getString("issuer");
            String keys = doc.getString("jwks_uri");
            if (issuer == null || keys == null) {
                return Future.failedFuture(AuthenticationException.unavailable("the OIDC discovery document at " + discovery
                        + " lacks " + (issuer == null ? "issuer" : "jwks_uri")));
            }
            if (expectedIssuer != null && !expectedIssuer.equals(issuer)) {
                // OpenID Connect Discovery 1.0 §4.3: the document's issuer must be the one asked for.
                return Future.failedFuture(AuthenticationException.unavailable("the OIDC discovery document at " + discovery
                        + " names issuer " + Quoted.of(issuer, 200) + ", not the configured " + expectedIssuer));
            }
            return Future.succeededFuture(new Discovered(issuer, jwksUri != null ? jwksUri : URI.create(keys)));
        } catch (RuntimeException e) {
            return Future.failedFuture(AuthenticationException.unavailable("the OIDC discovery document at " + discovery
                    + " is not valid: " + e.getMessage()));
        }
    }

    private Future<Buffer> fetch(URI uri, String what) {
        Future<Buffer> f;
        try {
            f = fetcher.get(uri);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.recover(e -> Future.failedFuture(e instanceof AuthenticationException ? e
                : AuthenticationException.unavailable("cannot fetch the " + what + " at " + uri + ": " + e.getMessage())));
    }

    private static JWKSet signingKeys(JWKSet set) {
        List<JWK> keys = set.getKeys().stream()
                .filter(k -> !k.getKeyType().equals(com.nimbusds.jose.jwk.KeyType.OCT))
                .filter(k -> k.getKeyUse() == null || KeyUse.SIGNATURE.equals(k.getKeyUse()))
                .map(JWK::toPublicJWK)
                .filter(Objects::nonNull)
                .toList();
        return new JWKSet(keys);
    }
}
