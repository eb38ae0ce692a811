package io.agentgateway.identity;

/**
 * A credential that was recognised but refused (status 401), the caller's namespace not allowed
 * (403), or an identity provider that could not be reached to decide (503). A {@link #declined}
 * refusal is a 401 that lets the next method of a chain try (a token of the right shape from
 * another issuer). The message is safe to show the caller: it never contains the credential.
 */
public final class AuthenticationException extends RuntimeException {
    private final int status;
    private final boolean declined;

    public AuthenticationException(int status, String message) {
        this(status, message, false);
    }

    private AuthenticationException(int status, String message, boolean declined) {
        super(message, null, false, false);
        this.status = status;
        this.declined = declined;
    }

    /**
     * Not this method's credential after all (e.g. a JWT from another issuer): the chain goes on to
     * the next method, and {@code message} becomes the 401's reason if no method accepts it.
     */
    public static AuthenticationException declined(String message) {
        return new AuthenticationException(401, message, true);
    }

    /**
     * A method that cannot decide in this environment (not configured for it): a later method may
     * still accept the credential; if none does, the answer is 503 with {@code message}.
     */
    public static AuthenticationException declinedUnavailable(String message) {
        return new AuthenticationException(503, message, true);
    }

    public boolean declined() {
        return declined;
    }

    public static AuthenticationException invalid(String message) {
        return new AuthenticationException(401, message);
    }

    public static AuthenticationException unavailable(String message) {
        return new AuthenticationException(503, message);
    }

    public int status() {
        return status;
    }
}
