package io.agentgateway.identity;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * One authentication method. {@link #authenticate} answers empty when the credential is not of its
 * kind (so the next method may try), a principal when it is valid, and fails with an
 * {@link AuthenticationException} when it is of its kind but invalid, or when the method cannot
 * decide (its identity provider unreachable: status 503, never an allow).
 *
 * <p>Implementations are thread-safe and never block the calling event loop.
 */
public interface Authenticator {
    Future<Optional<Principal>> authenticate(Credentials credentials);

    /** The {@code method} name recorded on principals it produces. */
    String name();
}
