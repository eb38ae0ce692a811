package io.agentgateway.a2a;

import io.agentgateway.config.Durations;
import io.agentgateway.config.Secret;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.UpstreamFailures;
import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;

import java.time.Duration;
import java.util.Map;

/**
 * Where one agent is reached: its A2A JSON-RPC endpoint (the configured URL, or the
 * {@code a2a.default_url} template filled in) and the headers the gateway sends it. The agent
 * card is looked up under the same path ({@code URL/.well-known/agent-card.json}), as A2A clients
 * resolve cards relative to an agent's base URL.
 *
 * <p>Immutable and thread-safe. Built once per listed agent at compile time, and once per agent
 * found by the convention ({@link AgentRegistry} keeps those it built): a call reuses its
 * upstream endpoint (with the resolved socket address) and its {@code NAMESPACE/NAME} id.
 */
final class AgentEndpoint {
    private final Resource.Agent resource;
    private final UpstreamRequest.Endpoint endpoint;
    private final String id;
    private final Map<String, Secret> headers;

    AgentEndpoint(Resource.Agent resource, boolean ssl, String host, int port, String rpcPath, Map<String, Secret> headers) {
        this.resource = resource;
        this.endpoint = new UpstreamRequest.Endpoint(ssl, host, port, rpcPath);
        this.id = resource.namespace() + "/" + resource.name();
        this.headers = headers;
    }

    /** An endpoint from an absolute http(s) URL that the config validator has already accepted. */
    static AgentEndpoint of(String namespace, String name, String url, Map<String, Secret> headers) {
        UpstreamRequest.Endpoint e = UpstreamRequest.Endpoint.parse(url);
        return new AgentEndpoint(new Resource.Agent(namespace, name), e.ssl(), e.host(), e.port(), e.path(), headers);
    }

    Resource.Agent resource() {
        return resource;
    }

    boolean ssl() {
        return endpoint.ssl();
    }

    String host() {
        return endpoint.host();
    }

    int port() {
        return endpoint.port();
    }

    /** The agent's JSON-RPC path (with its query, if the URL had one). */
    String rpcPath() {
        return endpoint.path();
    }

    /** The headers the gateway sends this agent (values are secrets: never logged). */
    Map<String, Secret> headers() {
        return headers;
    }

    String namespace() {
        return resource.namespace();
    }

    String name() {
        return resource.name();
    }

    /** {@code NAMESPACE/NAME}, as errors and logs name the agent. */
    String id() {
        return id;
    }

    /** The path of a well-known document ({@code agent-card.json}) under the agent's base path. */
    String wellKnownPath(String file) {
        return endpoint.base() + "/.well-known/" + file;
    }

    /** A request to {@code path} on the agent's host: the caller adds what may cross, then {@link #open} it. */
    UpstreamRequest request(HttpMethod method, String path) {
        return UpstreamRequest.to(endpoint, method, path);
    }

    /**
     * Opens {@code request} on the event loop's client with the agent's configured headers, which
     * win over what the gateway chose to pass on from the caller. The call's time is watched by
     * the loop's deadlines, not here.
     */
    Future<HttpClientRequest> open(HttpClient client, ConnectionGate gate, UpstreamRequest request, Duration timeout) {
        return request.credentials(headers).connectTimeout(Math.min(timeout.toMillis(), 30_000)).open(client, gate);
    }

    /** A failure before the answer began; {@code timeout} is the one that applied, for the message. */
    GatewayError failure(Throwable cause, Duration timeout) {
        return UpstreamFailures.map("agent " + id(), cause, "agent " + id() + " sent nothing for " + Durations.format(timeout));
    }

    /** A failure after the event stream to the caller began, told in-band as a JSON-RPC error event. */
    GatewayError streamFailure(Throwable cause, Duration streamTimeout) {
        return UpstreamFailures.midStream("the event stream from agent " + id(), cause,
                "agent " + id() + " sent no event for " + Durations.format(streamTimeout) + " (a2a.stream_timeout)");
    }

    /** An answer that is not one the gateway can pass on (wrong type, too large). */
    GatewayError badAnswer(String why) {
        return UpstreamFailures.badAnswer("agent " + id(), "invalid_agent_response", why);
    }

    @Override
    public String toString() {
        // Never the headers: they may carry credentials.
        return "agent " + id();
    }
}
