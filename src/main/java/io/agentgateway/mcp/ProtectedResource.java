package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for each MCP endpoint, as MCP authorization
 * asks: {@code GET /.well-known/oauth-protected-resource/mcp/SERVER} (and {@code .../mcp})
 * names the resource and the authorization servers a client gets tokens from (the issuers of the
 * configured {@code jwt} methods; none when no jwt method is configured). Public by design: a
 * client reads it before it has a credential, so it is served outside the governed chain.
 */
final class ProtectedResource {
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private ProtectedResource() {
    }

    /** Answers the request if it is for metadata; false when the path is not a metadata path. */
    static boolean serve(HttpServerRequest request, McpRuntime mcp) {
        String path = request.path();
        if (!path.startsWith(WELL_KNOWN)) {
            return false;
        }
        request.resume();
        String resource = path.substring(WELL_KNOWN.length());
        boolean known = resource.equals("/mcp") || resource.startsWith("/mcp/") && mcp.server(resource.substring(5)) != null;
        if (request.method() != HttpMethod.GET) {
            request.response().setStatusCode(405).putHeader("Allow", "GET").end();
            return true;
        }
        if (!known) {
            request.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end("{\"error\":\"not_found\",\"error_description\":\"no MCP endpoint at " + json(resource) + "\"}");
            return true;
        }
        ObjectNode body = Message.MAPPER.createObjectNode();
        body.put("resource", McpErrors.origin(request) + resource);
        if (!mcp.issuers().isEmpty()) {
            mcp.issuers().forEach(body.putArray("authorization_servers")::add);
        }
        body.putArray("bearer_methods_supported").add("header");
        body.put("resource_name", "agentgateway MCP " + (resource.equals("/mcp") ? "(all servers)" : resource.substring(5)));
        request.response().putHeader("content-type", "application/json").putHeader("cache-control", "max-age=300")
                .end(Message.write(body));
        return true;
    }

    private static String json(String s) {
        return s.replaceAll("[^A-Za-z0-9_./-]", "?");
    }
}
