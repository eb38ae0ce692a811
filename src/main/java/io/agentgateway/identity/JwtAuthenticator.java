package io.agentgateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Future;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies JWT bearer tokens offline against an issuer's published keys: {@code type: jwt} (any
 * OIDC issuer) and {@code type: kubernetes} with {@code service_account_validation: false} (the
 * cluster's own issuer). Only JWT-shaped bearer tokens are claimed; a token from another issuer is
 * {@linkplain AuthenticationException#declined declined} so a later method may take it.
 *
 * <p>Safe by construction: only the asymmetric algorithms in {@link JwtAlgorithms} are accepted
 * (never {@code none}, never HMAC, so a token "signed" with the public key as an HMAC secret is
 * refused before any key is looked up), and a key is used only for the algorithm it declares.
 * Signatures and claims are checked by Nimbus JOSE+JWT against the injected clock, with at most
 * {@code clockSkew} tolerance; {@code exp} is required. Verified tokens are cached by hash until
 * their {@code exp} at the latest ({@link VerifiedTokens}).
 *
 * <p>Thread-safe; non-blocking (keys are fetched over Vert.x).
 */
final class JwtAuthenticator implements Authenticator {
    /** Turns verified claims into the principal; throws {@link AuthenticationException} when they do not name one. */
    interface PrincipalMapping {
        Principal principal(JWTClaimsSet claims, String method);
    }

    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES =
            new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null);

    private final String name;
    private final IssuerKeys keys;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> audiences;
    private final int clockSkewSeconds;
    private final Clock clock;
    private final VerifiedTokens cache;
    private final PrincipalMapping mapping;
    private volatile Compiled compiled;

    private record Compiled(IssuerKeys.Snapshot snapshot, DefaultJWTProcessor<SecurityContext> processor) {
    }

    JwtAuthenticator(String name, IssuerKeys keys, Set<JWSAlgorithm> algorithms, List<String> audiences,
                     Duration clockSkew, Clock clock, VerifiedTokens cache, PrincipalMapping mapping) {
        if (!JwtAlgorithms.ASYMMETRIC.containsAll(algorithms) || algorithms.isEmpty()) {
            throw new IllegalArgumentException("only asymmetric signature algorithms may be accepted: " + algorithms);
        }
        this.name = name;
        this.keys = keys;
        this.algorithms = Set.copyOf(algorithms);
        this.audiences = Set.copyOf(audiences);
        this.clockSkewSeconds = (int) clockSkew.toSeconds();
        this.clock = clock;
        this.cache = cache;
        this.mapping = mapping;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        String token = credentials.bearerToken();
        if (token == null || !JwtShape.looksLikeJwt(token)) {
            return Authentication.notMine();
        }
        return cache.get(token, this::verify).map(Optional::of);
    }

    private Future<VerifiedTokens.Verified> verify(String token) {
        SignedJWT jwt;
        String issuer;
        try {
            jwt = signed(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return Future.failedFuture(AuthenticationException.invalid("malformed JWT: " + e.getMessage()));
        } catch (AuthenticationException e) {
            return Future.failedFuture(e);
        }
        return keys.current().compose(snapshot -> {
            if (!snapshot.issuer().equals(issuer)) {
                return Future.failedFuture(AuthenticationException.declined("the token's issuer " + Quoted.of(issuer, 200)
                        + " is not " + snapshot.issuer()));
            }
            String kid = jwt.getHeader().getKeyID();
            if (kid != null && snapshot.keys().getKeyByKeyId(kid) == null) {
                return keys.refreshForUnknownKey().compose(fresh -> {
                    if (fresh.keys().getKeyByKeyId(kid) == null) {
                        return Future.failedFuture(AuthenticationException.invalid("the token's signing key "
                                + Quoted.of(kid, 100) + " is not published by issuer " + snapshot.issuer()));
                    }
                    return check(fresh, jwt);
                });
            }
            return check(snapshot, jwt);
        });
    }

    private SignedJWT signed(String token) throws ParseException {
        JWT parsed = JWTParser.parse(token);
        if (parsed instanceof PlainJWT) {
            throw AuthenticationException.invalid("unsigned JWT (alg: none) refused");
        }
        if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT jwt)) {
            throw AuthenticationException.invalid("encrypted JWTs are not accepted; send a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw AuthenticationException.invalid("JWT algorithm " + Quoted.of(alg.getName(), 20) + " is not accepted (accepted: "
                    + algorithms.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", ")) + ")");
        }
        return jwt;
    }

    private Future<VerifiedTokens.Verified> check(IssuerKeys.Snapshot snapshot, SignedJWT jwt) {
        try {
            JWTClaimsSet claims = processor(snapshot).process(jwt, null);
            Principal principal = mapping.principal(claims, name);
            Date exp = claims.getExpirationTime();
            return Future.succeededFuture(new VerifiedTokens.Verified(principal, exp == null ? null : exp.toInstant()));
        } catch (BadJOSEException e) {
            String why = e.getMessage();
            if (why != null && why.contains(" aud ")) {
                why += " (accepted audiences: " + audiences.stream().sorted().toList() + ")";
            }
            return Future.failedFuture(AuthenticationException.invalid("JWT rejected: " + why));
        } catch (JOSEException e) {
            return Future.failedFuture(AuthenticationException.invalid("JWT signature could not be verified: " + e.getMessage()));
        } catch (AuthenticationException e) {
            return Future.failedFuture(e);
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor(IssuerKeys.Snapshot snapshot) {
        Compiled c = compiled;
        if (c != null && c.snapshot() == snapshot) {
            return c.processor();
        }
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(TYPES);
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(snapshot.keys())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audiences.isEmpty() ? null : new HashSet<>(audiences),
                new JWTClaimsSet.Builder().issuer(snapshot.issuer()).build(),
                Set.of("exp"), null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(clockSkewSeconds);
        p.setJWTClaimsSetVerifier(claims);
        compiled = new Compiled(snapshot, p);
        return p;
    }
}
