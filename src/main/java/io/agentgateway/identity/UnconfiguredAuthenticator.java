package io.agentgateway.identity;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * A token method that cannot work in this environment (kubernetes authentication outside a
 * cluster with no {@code api_server} configured). Tokens it would verify are passed on to later
 * methods; if none accepts them the answer is 503 with the reason, so such requests are never let
 * through and the operator sees why.
 */
final class UnconfiguredAuthenticator implements Authenticator {
    private final String name;
    private final String reason;

    UnconfiguredAuthenticator(String name, String reason) {
        this.name = name;
        this.reason = reason;
    }

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        String token = credentials.bearerToken();
        if (token == null || !JwtShape.looksLikeJwt(token)) {
            return Authentication.notMine();
        }
        return Future.failedFuture(AuthenticationException.declinedUnavailable(reason));
    }

    @Override
    public String name() {
        return name;
    }
}
