package io.agentgateway.identity;

/**
 * A credential that was recognised but refused (status 401), the caller's namespace not allowed
 * (403), or an identity provider that could not be reached to decide (503). The message is safe
 * to show the caller: it never contains the credential.
 */
public final class AuthenticationException extends RuntimeException {
    private final int status;

    public AuthenticationException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
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
