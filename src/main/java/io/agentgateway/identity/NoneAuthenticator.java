package io.agentgateway.identity;

import io.vertx.core.Future;

import java.util.Optional;

/** {@code type: none}: accepts every request as {@link Principal#ANONYMOUS} (as a last method, a fallback). */
public final class NoneAuthenticator implements Authenticator {
    private final Future<Optional<Principal>> anonymous = Future.succeededFuture(Optional.of(Principal.ANONYMOUS));

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        return anonymous;
    }

    @Override
    public String name() {
        return "none";
    }
}
