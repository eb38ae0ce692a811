package io.agentgateway.identity;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code security.authentication} compiled: the methods tried in order until one recognises the
 * credential, then the {@code allowed_namespaces} check. Fails with an
 * {@link AuthenticationException}: 401 when no method recognises the request (or one refuses
 * it), 403 when the namespace is not allowed, 503 when a method could not decide.
 *
 * <p>Immutable and thread-safe.
 */
public final class Authentication {
    /** No authentication: every caller is {@link Principal#ANONYMOUS}. */
    public static final Authentication NONE = new Authentication(List.of(), Set.of());

    private final List<Authenticator> methods;
    private final Set<String> allowedNamespaces;
    private final Future<Principal> anonymous = Future.succeededFuture(Principal.ANONYMOUS);

    public Authentication(List<Authenticator> methods, Set<String> allowedNamespaces) {
        this.methods = List.copyOf(methods);
        this.allowedNamespaces = Set.copyOf(allowedNamespaces);
    }

    public boolean enabled() {
        return !methods.isEmpty();
    }

    public Future<Principal> authenticate(Credentials credentials) {
        if (methods.isEmpty()) {
            return anonymous;
        }
        return tryMethod(0, credentials, null);
    }

    /** @param declined the first method's reason for passing the credential on, or null */
    private Future<Principal> tryMethod(int i, Credentials credentials, AuthenticationException declined) {
        if (i == methods.size()) {
            return Future.failedFuture(declined != null ? new AuthenticationException(declined.status(), declined.getMessage())
                    : AuthenticationException.invalid(unrecognised(credentials)));
        }
        Future<Optional<Principal>> outcome = methods.get(i).authenticate(credentials);
        if (outcome.isComplete()) {
            // Decided from memory (an API key, a cached token): go on without a step to chain.
            return next(outcome, i, credentials, declined);
        }
        return outcome.transform(ar -> next(ar, i, credentials, declined));
    }

    private Future<Principal> next(AsyncResult<Optional<Principal>> ar, int i, Credentials credentials,
                                   AuthenticationException declined) {
        if (ar.failed()) {
            if (ar.cause() instanceof AuthenticationException a && a.declined()) {
                return tryMethod(i + 1, credentials, declined != null ? declined : a);
            }
            return Future.failedFuture(ar.cause());
        }
        Optional<Principal> found = ar.result();
        return found.isPresent() ? checkNamespace(found.get()) : tryMethod(i + 1, credentials, declined);
    }

    private static String unrecognised(Credentials credentials) {
        String authorization = credentials.headers().get("authorization");
        if (authorization == null) {
            return "missing credential: send Authorization: Bearer <token>";
        }
        if (credentials.bearerToken() == null) {
            return "the Authorization header is not of the form \"Bearer <token>\"";
        }
        return "the credential was not accepted by any authentication method";
    }

    private Future<Principal> checkNamespace(Principal p) {
        if (!allowedNamespaces.isEmpty() && (p.namespace() == null || !allowedNamespaces.contains(p.namespace()))) {
            return Future.failedFuture(new AuthenticationException(403,
                    "namespace " + (p.namespace() == null ? "(none)" : "\"" + p.namespace() + "\"")
                            + " is not in security.authentication.allowed_namespaces"));
        }
        return Future.succeededFuture(p);
    }

    /** Convenience for authenticators: a future of "not my kind of credential". */
    public static Future<Optional<Principal>> notMine() {
        return Future.succeededFuture(Optional.empty());
    }
}
