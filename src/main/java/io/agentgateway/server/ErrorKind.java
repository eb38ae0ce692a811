package io.agentgateway.server;

/**
 * The protocol-neutral kinds of failure a request can end in, each with its HTTP status. Each
 * listener renders them in its own wire format (OpenAI error object, JSON-RPC error).
 */
public enum ErrorKind {
    INVALID_REQUEST(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    CLIENT_CLOSED(499),
    INTERNAL(500),
    UPSTREAM_ERROR(502),
    UNAVAILABLE(503),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
