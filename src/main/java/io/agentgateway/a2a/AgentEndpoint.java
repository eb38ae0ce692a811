package io.agentgateway.a2a;

import io.agentgateway.config.Secret;
import io.agentgateway.policy.Resource;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Map;

/**
 * Where one agent is reached: its A2A JSON-RPC endpoint (the configured URL, or the
 * {@code a2a.default_url} template filled in) and the headers the gateway sends it. The agent
 * card is looked up under the same path ({@code URL/.well-known/agent-card.json}), as A2A clients
 * resolve cards relative to an agent's base URL.
 *
 * <p>Immutable and thread-safe. Built once per listed agent at compile time, and per request for
 * agents found by the convention (a few string operations, no parsing of config).
 */
record AgentEndpoint(Resource.Agent resource, boolean ssl, String host, int port, String rpcPath,
                     Map<String, Secret> headers) {

    /** An endpoint from an absolute http(s) URL that the config validator has already accepted. */
    static AgentEndpoint of(String namespace, String name, String url, Map<String, Secret> headers) {
        URI uri = URI.create(url);
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new AgentEndpoint(new Resource.Agent(namespace, name), ssl, uri.getHost(),
                uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80, path, headers);
    }

    String namespace() {
        return resource.namespace();
    }

    String name() {
        return resource.name();
    }

    /** {@code NAMESPACE/NAME}, as errors and logs name the agent. */
    String id() {
        return resource.namespace() + "/" + resource.name();
    }

    /** The path of a well-known document ({@code agent-card.json}) under the agent's base path. */
    String wellKnownPath(String file) {
        String path = rpcPath;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path + "/.well-known/" + file;
    }

    /**
     * Opens a request to the agent on the event loop's client: {@code headers} (what the gateway
     * chose to pass on from the caller) plus the agent's configured headers, which win. The idle
     * timeout bounds the wait for the answer and every silence within a streamed answer.
     */
    Future<HttpClientRequest> open(HttpClient client, HttpMethod method, String path, long idleTimeoutMillis,
                                   MultiMap headers) {
        for (Map.Entry<String, Secret> h : this.headers.entrySet()) {
            headers.set(h.getKey(), h.getValue().reveal());
        }
        return client.request(new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(path)
                .setConnectTimeout(Math.min(idleTimeoutMillis, 30_000))
                .setIdleTimeout(idleTimeoutMillis)
                .setHeaders(headers));
    }

    @Override
    public String toString() {
        // Never the headers: they may carry credentials.
        return "agent " + id();
    }
}
