package io.agentgateway.identity;

import io.agentgateway.kube.KubernetesApi;
import io.agentgateway.kube.TokenReview;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: kubernetes} with {@code service_account_validation: true}: the API server decides,
 * through a TokenReview (with {@code audiences} when configured), which also catches revoked
 * tokens and tokens of deleted pods. Only JWT-shaped bearer tokens are claimed. The user must be
 * a service account ({@code system:serviceaccount:NAMESPACE:NAME}); anything else is refused,
 * because the gateway governs by namespace and service account. Results are cached by token hash
 * ({@link VerifiedTokens}); an API server that cannot answer gives 503, never an allow.
 *
 * <p>Thread-safe; non-blocking.
 */
final class TokenReviewAuthenticator implements Authenticator {
    private final KubernetesApi api;
    private final List<String> audiences;
    private final VerifiedTokens cache;

    TokenReviewAuthenticator(KubernetesApi api, List<String> audiences, VerifiedTokens cache) {
        this.api = api;
        this.audiences = List.copyOf(audiences);
        this.cache = cache;
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        String token = credentials.bearerToken();
        if (token == null || !JwtShape.looksLikeJwt(token)) {
            return Authentication.notMine();
        }
        return cache.get(token, this::review).map(Optional::of);
    }

    private Future<VerifiedTokens.Verified> review(String token) {
        return api.reviewToken(token, audiences).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(AuthenticationException.unavailable(ar.cause().getMessage()));
            }
            try {
                return Future.succeededFuture(verified(ar.result(), token));
            } catch (AuthenticationException e) {
                return Future.failedFuture(e);
            }
        });
    }

    private VerifiedTokens.Verified verified(TokenReview review, String token) {
        if (!review.authenticated()) {
            throw AuthenticationException.invalid("the Kubernetes API server did not authenticate the token"
                    + (review.error() == null || review.error().isBlank() ? "" : ": " + Quoted.of(review.error(), 200)));
        }
        if (!audiences.isEmpty() && review.audiences().stream().noneMatch(audiences::contains)) {
            // TokenReview API: a client that sets spec.audiences must find one of them in status.audiences.
            throw AuthenticationException.invalid("the token is not valid for the audiences " + audiences);
        }
        ServiceAccountName sa = ServiceAccountName.parse(review.username());
        if (sa == null) {
            throw AuthenticationException.invalid("the token authenticates " + Quoted.of(review.username(), 100)
                    + ", which is not a service account (system:serviceaccount:NAMESPACE:NAME)");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        if (review.uid() != null) {
            claims.put("uid", review.uid());
        }
        claims.put("groups", review.groups());
        claims.put("extra", review.extra());
        claims.put("audiences", review.audiences());
        Instant exp = JwtShape.unverifiedExpiry(token);
        return new VerifiedTokens.Verified(Principal.serviceAccount(sa.namespace(), sa.name(), name(), claims), exp);
    }
}
