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
 * <p>Immutable and thread-safe. Built once per listed agent at compile time, and per request for
 * agents found by the convention (a few string operations, no parsing of config).
 */
record AgentEndpoint(Resource.Agent resource, boolean ssl, String host, int port, String rpcPath,
                     Map<String, Secret> headers) {

    /** An endpoint from an absolute http(s) URL that the config validator has already accepted. */
    static AgentEndpoint of(String namespace, String name, String url, Map<String, Secret> headers) {
        UpstreamRequest.Endpoint e = UpstreamRequest.Endpoint.parse(url);
        return new AgentEndpoint(new Resource.Agent(namespace, name), e.ssl(), e.host(), e.port(), e.path(), headers);
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
        return new UpstreamRequest.Endpoint(ssl, host, port, rpcPath).base() + "/.well-known/" + file;
    }

    /** A request to {@code path} on the agent's host: the caller adds what may cross, then {@link #open} it. */
    UpstreamRequest request(HttpMethod method, String path) {
        return UpstreamRequest.to(new UpstreamRequest.Endpoint(ssl, host, port, rpcPath), method, path);
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
