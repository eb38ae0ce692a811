package io.agentgateway.mcp;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.Protocol;
import io.agentgateway.server.ProtocolHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The MCP listener: Streamable HTTP at {@code /mcp/SERVER} (one server, its own
 * names) and {@code /mcp} (all servers as one), legacy HTTP+SSE at {@code /sse/SERVER} with its
 * {@code /sse/SERVER/message} endpoint, and protected resource metadata under
 * {@code /.well-known/oauth-protected-resource}. Every other request is an exchange on the
 * governance chain, one per JSON-RPC message, so even a wrong URL is answered only to known callers.
 * A request from a foreign {@code Origin} or to a foreign {@code Host} is refused first ({@link OriginCheck}).
 *
 * <p>Immutable and thread-safe; one per compiled runtime.
 */
public final class McpHandler implements ProtocolHandler {
    private final GovernanceChain chain;
    private final McpRuntime mcp;

    public McpHandler(GovernanceChain chain, McpRuntime mcp) {
        this.chain = chain;
        this.mcp = mcp;
    }

    @Override
    public void handle(HttpServerRequest request, ListenerContext context) {
        GatewayError foreign = mcp.origins().refusal(request, context.listener().address());
        if (foreign != null) {
            Exchange ex = chain.start(request, context.listener().name(), Protocol.MCP);
            ex.action("invalid");
            chain.refuse(ex, McpErrors.TRANSPORT_ONLY, foreign);
            return;
        }
        if (ProtectedResource.serve(request, mcp)) {
            return;
        }
        Exchange ex = chain.start(request, context.listener(), Protocol.MCP);
        // Named before authentication, so a refused caller is still counted against the server it tried.
        String server = serverOf(request.path());
        if (server != null) {
            ex.fact(Facts.Mcp.SERVER, server);
        }
        chain.run(ex, flow(request, context));
    }

    private ExchangeFlow flow(HttpServerRequest request, ListenerContext context) {
        String path = request.path();
        HttpMethod method = request.method();
        if (path.equals("/mcp") || path.equals("/mcp/")) {
            return streamable(method, McpSession.FEDERATED, context);
        }
        if (path.startsWith("/mcp/")) {
            String server = path.substring(5);
            if (server.endsWith("/")) {
                server = server.substring(0, server.length() - 1);
            }
            return mcp.server(server) == null ? refuse(unknownServer(server)) : streamable(method, server, context);
        }
        if (path.startsWith("/sse/")) {
            String rest = path.substring(5);
            boolean message = rest.endsWith("/message");
            String server = message ? rest.substring(0, rest.length() - "/message".length()) : rest;
            if (mcp.server(server) == null) {
                return refuse(unknownServer(server));
            }
            if (!message) {
                return method == HttpMethod.GET ? new LegacyStreamFlow(mcp, server) : refuse(notAllowed(method, path, "GET"));
            }
            if (method != HttpMethod.POST) {
                return refuse(notAllowed(method, path, "POST"));
            }
            LegacySessions.Session s = mcp.legacy().get(request.getParam("sessionId"));
            // The session must be this server's, opened by the same caller: checked after authentication.
            return new LegacyPostFlow(mcp, chain, context, server, s);
        }
        return refuse(new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_url", "Not Found: " + method + " " + path
                + " (MCP endpoints: /mcp, /mcp/SERVER, /sse/SERVER)", null, null));
    }

    private String serverOf(String path) {
        String rest = path.startsWith("/mcp/") ? path.substring(5) : path.startsWith("/sse/") ? path.substring(5) : null;
        if (rest == null) {
            return path.equals("/mcp") ? McpSession.FEDERATED : null;
        }
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return mcp.server(name) != null ? name : null;
    }

    private ExchangeFlow streamable(HttpMethod method, String route, ListenerContext context) {
        if (method == HttpMethod.POST) {
            return new PostFlow(mcp, chain.policies(), context, route, null);
        }
        if (method == HttpMethod.GET) {
            return new ListenFlow(mcp, context, route);
        }
        if (method == HttpMethod.DELETE) {
            return new DeleteFlow(mcp, context, route);
        }
        return refuse(notAllowed(method, "/mcp" + (McpSession.FEDERATED.equals(route) ? "" : "/" + route), "POST, GET, DELETE"));
    }

    private GatewayError unknownServer(String server) {
        String shown = server.replaceAll("[^A-Za-z0-9_.-]", "?");
        return new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_server", "Not Found: no MCP server named \"" + shown
                + "\" (configured: " + String.join(", ", mcp.serverNames()) + ")", null, null);
    }

    private static GatewayError notAllowed(HttpMethod method, String path, String allowed) {
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                "Method Not Allowed: " + method + " on " + path + "; use " + allowed, null, null).header("Allow", allowed);
    }

    private static ExchangeFlow refuse(GatewayError error) {
        return ExchangeFlow.refusing(error, McpErrors.TRANSPORT_ONLY, "invalid");
    }
}
