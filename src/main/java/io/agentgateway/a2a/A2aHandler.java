package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.Protocol;
import io.agentgateway.server.ProtocolHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The A2A listener on the governance chain:
 * <ul>
 * <li>{@code POST /NAMESPACE/AGENT} (and {@code /NAMESPACE/AGENT/}): one JSON-RPC call ({@link CallFlow});</li>
 * <li>{@code /NAMESPACE/AGENT/REST-PATH} ({@code POST .../message:send}, {@code GET .../tasks/ID}...):
 *     one call of the HTTP+JSON binding ({@link CallFlow}, {@link RestRoute});</li>
 * <li>{@code GET /NAMESPACE/AGENT/.well-known/agent-card.json} and {@code .../agent.json}: the
 *     agent's card, pointing at the gateway ({@link CardFlow}).</li>
 * </ul>
 * Every request is an exchange, even one for an unknown path, and is refused only after
 * authentication, so a stranger learns nothing about which agents exist. The one exception is
 * {@code GET /.well-known/jwks.json}, the public keys of the gateway's card signatures, which
 * verifiers fetch without credentials and which say nothing about agents.
 *
 * <p>Immutable and thread-safe; one per compiled runtime.
 */
public final class A2aHandler implements ProtocolHandler {
    private static final String WELL_KNOWN = ".well-known";

    private final GovernanceChain chain;
    private final A2aRuntime a2a;

    public A2aHandler(GovernanceChain chain, A2aRuntime a2a) {
        this.chain = chain;
        this.a2a = a2a;
    }

    @Override
    public void handle(HttpServerRequest request, ListenerContext context) {
        if (request.method() == HttpMethod.GET && CardSigner.JWKS_PATH.equals(request.path())) {
            Jwks.serve(request, a2a.cardKeys());
            return;
        }
        Exchange ex = chain.start(request, context.listener(), Protocol.A2A);
        String[] segments = segments(request.path());
        ExchangeFlow flow;
        if (segments.length == 2) {
            ex.action("rpc");
            flow = request.method() == HttpMethod.POST
                    ? CallFlow.jsonRpc(a2a, context, segments[0], segments[1]) : refuse(methodNotAllowed(request, "POST"));
        } else if (segments.length == 4 && WELL_KNOWN.equals(segments[2])
                && (CardFlow.CARD.equals(segments[3]) || CardFlow.LEGACY_CARD.equals(segments[3]))) {
            ex.action("agent_card");
            flow = request.method() == HttpMethod.GET
                    ? new CardFlow(a2a, context, segments[0], segments[1], segments[3]) : refuse(methodNotAllowed(request, "GET"));
        } else if (segments.length > 2 && !WELL_KNOWN.equals(segments[2])) {
            ex.action("rest");
            String path = request.path();
            flow = CallFlow.rest(a2a, context, segments[0], segments[1],
                    path.substring(segments[0].length() + segments[1].length() + 2));
        } else {
            ex.action("unknown");
            flow = refuse(new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_url", "Unknown request URL: "
                    + request.method() + " " + shown(request.path()) + "; A2A calls go to POST /NAMESPACE/AGENT (JSON-RPC)"
                    + " or below /NAMESPACE/AGENT/ (HTTP+JSON), and agent cards are at"
                    + " GET /NAMESPACE/AGENT/.well-known/agent-card.json", null, null));
        }
        chain.run(ex, flow);
    }

    /** The path's segments; one trailing slash is allowed, empty segments are not. */
    static String[] segments(String path) {
        if (path == null || path.length() < 2 || path.charAt(0) != '/') {
            return new String[0];
        }
        String p = path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        String[] parts = p.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                return new String[0];
            }
        }
        return parts;
    }

    private static GatewayError methodNotAllowed(HttpServerRequest request, String allowed) {
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                request.method() + " is not supported on " + shown(request.path()) + "; use " + allowed, null, null)
                .header("Allow", allowed);
    }

    private static String shown(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }

    private static ExchangeFlow refuse(GatewayError error) {
        return ExchangeFlow.refusing(error, new A2aErrors(null), null);
    }
}
