package io.agentgateway.a2a;

import io.agentgateway.server.Exchange;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Locale;

/**
 * Which headers cross the gateway on an A2A call, an allow-list in both directions: the A2A
 * service parameters (A2A 0.3 spelled the extensions header with {@code X-}), the body's type and
 * the request id go to the agent; the service parameters the agent answers with come back.
 * Everything else, the caller's {@code Authorization} and cookies first, stays behind.
 */
final class A2aHeaders {
    static final List<String> SERVICE_HEADERS = List.of("a2a-version", "a2a-extensions", "x-a2a-extensions");

    private A2aHeaders() {
    }

    /**
     * What goes to the agent: the JSON-RPC body's type, the A2A service parameters (version,
     * extensions) and the request id; the tracer adds the gateway's trace context. Never the
     * caller's credentials: the agent's own configured headers are added by {@link AgentEndpoint#open}.
     */
    static UpstreamRequest toAgent(Exchange ex, UpstreamRequest out, boolean body) {
        HttpServerRequest request = ex.request();
        String type = request.getHeader("content-type");
        if (body) {
            out.header("content-type", type != null && type.toLowerCase(Locale.ROOT).contains("json") ? type : "application/json");
        }
        String accept = request.getHeader("accept");
        out.header("accept", accept != null ? accept : "application/json, text/event-stream");
        return out.allow(request, SERVICE_HEADERS).header("x-request-id", ex.id());
    }

    /** The A2A service parameters an agent answers with (the extensions it activated). */
    static void toCaller(HttpClientResponse upstream, HttpServerResponse response) {
        for (String header : SERVICE_HEADERS) {
            String v = upstream.getHeader(header);
            if (v != null) {
                response.putHeader(header, v);
            }
        }
    }
}
