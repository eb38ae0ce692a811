package io.agentgateway.server;

import io.vertx.core.MultiMap;

/**
 * A request failure carrying everything needed to answer it: kind (and so HTTP status), a short
 * machine code ({@code model_not_found}), a message safe to show the caller (never a secret),
 * the offending parameter if any, and extra response headers ({@code Retry-After},
 * {@code WWW-Authenticate}). Rendered exactly once, by the listener's {@link ErrorRenderer}.
 */
public final class GatewayError extends RuntimeException {
    private final ErrorKind kind;
    private final int status;
    private final String code;
    private final String param;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();

    public GatewayError(ErrorKind kind, String code, String message) {
        this(kind, kind.status(), code, message, null, null);
    }

    public GatewayError(ErrorKind kind, int status, String code, String message, String param, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public static GatewayError invalid(String message, String param) {
        return new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_request", message, param, null);
    }

    public GatewayError header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public GatewayError headers(MultiMap more) {
        if (more != null) {
            headers.addAll(more);
        }
        return this;
    }

    public ErrorKind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public MultiMap headers() {
        return headers;
    }
}
