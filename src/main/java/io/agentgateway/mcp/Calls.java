package io.agentgateway.mcp;

import io.agentgateway.identity.Principal;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ExchangeTracer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.upstream.StreamRelay;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * What the MCP flows share: reading the downstream session from its header (and refusing one
 * that is not ours, not the caller's, not this endpoint's, or ended), the protocol version header,
 * and the {@link Upstream.Call} for a server. Stateless.
 */
final class Calls {
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    /** The caller's trace context headers, passed on as they came when the gateway does not trace. */
    private static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage", "b3", "x-b3-traceid",
            "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled");

    private Calls() {
    }

    /** The session the request names; fails with 400 when it names none, 404 when it is not valid here. */
    static McpSession session(McpRuntime mcp, Exchange ex, String route) {
        String id = ex.request().getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "session_required",
                    "Bad Request: Mcp-Session-Id header is required (send initialize first)", null, null);
        }
        McpSession s;
        try {
            s = mcp.codec().open(id);
        } catch (SessionCodec.SessionKeyUnavailable e) {
            throw new GatewayError(ErrorKind.UNAVAILABLE, 503, "session_key_unavailable", e.getMessage(), null, null);
        }
        // One answer for every way an id can be wrong, so a caller learns nothing about others' sessions.
        if (s == null || !s.principal().equals(McpSession.principalKey(principal(ex))) || !s.route().equals(route)
                || !mcp.sessions().use(id, s, mcp.clock().instant())) {
            throw sessionNotFound();
        }
        return s;
    }

    /**
     * {@link #session}, then, with a shared store, whether another replica ended it (404 then).
     */
    static io.vertx.core.Future<McpSession> sharedSession(McpRuntime mcp, Exchange ex, String route) {
        McpSession s = session(mcp, ex, route);
        SharedSessionEnds ends = mcp.sharedEnds();
        if (ends == null) {
            return io.vertx.core.Future.succeededFuture(s);
        }
        String id = ex.request().getHeader(SESSION_HEADER);
        return ends.ended(id).compose(ended -> {
            if (ended) {
                mcp.sessions().end(id, java.time.Instant.ofEpochSecond(s.expiresAt()));
                mcp.streams().end(id);
                return io.vertx.core.Future.failedFuture(sessionNotFound());
            }
            return io.vertx.core.Future.succeededFuture(s);
        });
    }

    static GatewayError sessionNotFound() {
        return new GatewayError(ErrorKind.NOT_FOUND, 404, "session_not_found",
                "Session not found: the Mcp-Session-Id is unknown, ended, expired, or not yours; initialize a new session", null, null);
    }

    static Principal principal(Exchange ex) {
        return ex.principal() == null ? Principal.ANONYMOUS : ex.principal();
    }

    /** Refuses an {@code MCP-Protocol-Version} the gateway does not speak (400, as the transport spec requires). */
    static void checkVersion(HttpServerRequest request) {
        String v = request.getHeader(VERSION_HEADER);
        if (v != null && !Methods.VERSIONS.contains(v)) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "unsupported_protocol_version",
                    "Bad Request: unsupported MCP-Protocol-Version " + v.replaceAll("[^\\x21-\\x7e]", "?")
                            + " (supported: " + String.join(", ", Methods.VERSIONS) + ")", "MCP-Protocol-Version", null);
        }
    }

    /**
     * The call to one upstream for this exchange, with a client span whose trace context (W3C,
     * B3) goes upstream in the headers; without tracing the caller's own trace headers are passed
     * on. The span is added to {@code spans}, for the flow to end when the exchange ends.
     */
    static Upstream.Call call(ListenerContext ctx, Exchange ex, McpSession session, String server, String downstream,
                              List<ExchangeTracer.UpstreamSpan> spans, StreamRelay.Client client) {
        MultiMap trace = null;
        if (ex.traced()) {
            trace = MultiMap.caseInsensitiveMultiMap();
            Object method = ex.fact(Facts.Mcp.METHOD);
            Object tool = ex.fact(Facts.Mcp.TOOL);
            spans.add(ex.traceUpstream(method + (tool == null ? "" : " " + tool), server, trace));
        }
        if (trace == null || trace.isEmpty()) {
            // Untraced, a call builds no span and a headers map only when the caller sent trace context.
            HttpServerRequest request = ex.request();
            for (String h : TRACE_HEADERS) {
                String v = request.getHeader(h);
                if (v != null) {
                    if (trace == null) {
                        trace = MultiMap.caseInsensitiveMultiMap();
                    }
                    trace.set(h, v);
                }
            }
        }
        return new Upstream.Call(ctx.upstream(), session == null ? null : session.upstreamSession(server),
                session == null ? null : session.upstreamVersion(server), downstream, trace, client, tenant(ex));
    }

    /**
     * The call that opens a server's own stream for a session ({@link ServerStreams}): it outlives
     * the request that opened it, so it carries no span and no trace context of that request.
     */
    static Upstream.Call streamCall(ListenerContext ctx, Exchange ex, McpSession session, String server, String downstream) {
        return new Upstream.Call(ctx.upstream(), session.upstreamSession(server), session.upstreamVersion(server), downstream,
                MultiMap.caseInsensitiveMultiMap(), null, tenant(ex));
    }

    /** The caller's namespace, which names its connection to a server isolated per namespace. */
    static String tenant(Exchange ex) {
        String ns = principal(ex).namespace();
        return ns == null || ns.isEmpty() ? "-" : ns;
    }

    /** Ends the exchange's upstream spans with how it ended. */
    static void endSpans(List<ExchangeTracer.UpstreamSpan> spans, Exchange ex, Throwable error) {
        for (ExchangeTracer.UpstreamSpan s : spans) {
            s.end(error == null ? ex.status() : 0, error);
        }
        spans.clear();
    }

    /** A JSON-RPC failure as the gateway error the chain completes the exchange with. */
    static GatewayError upstreamFailure(Throwable e) {
        if (e instanceof GatewayError g) {
            return g;
        }
        if (e instanceof Upstream.SessionGone) {
            return sessionNotFound();
        }
        if (e instanceof JsonRpcException j) {
            boolean timeout = j.code() == JsonRpcException.REQUEST_TIMEOUT;
            boolean input = j.code() == JsonRpcException.INVALID_PARAMS || j.code() == JsonRpcException.INVALID_REQUEST
                    || j.code() == JsonRpcException.METHOD_NOT_FOUND || j.code() == JsonRpcException.PARSE_ERROR;
            ErrorKind kind = timeout ? ErrorKind.UPSTREAM_TIMEOUT : input ? ErrorKind.INVALID_REQUEST : ErrorKind.UPSTREAM_ERROR;
            String code = timeout ? "upstream_timeout" : input ? "invalid_request" : "upstream_error";
            int status = j.code() == JsonRpcException.PARSE_ERROR || j.code() == JsonRpcException.INVALID_REQUEST && j.id() == null ? 400 : kind.status();
            return new GatewayError(kind, status, code, j.getMessage(), null, j);
        }
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "upstream_error",
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null, e);
    }
}
