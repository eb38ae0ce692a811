package io.agentgateway.cli;

import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.runtime.Gateway;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.function.Function;

/**
 * The requests of the ahead-of-time cache's training run ({@code run --aot-training} on
 * {@code src/main/aot/training.yaml}): what a gateway serves in its first seconds, sent through its
 * own listeners, so the JVM records the classes and profiles of serving them and a start with the
 * cache answers its first {@code /readyz} and its first call per protocol from the cache. Without
 * them the cache holds only the start itself, and the first request on each port loads, links and
 * interprets the whole HTTP server and client path (seconds on two busy cores).
 *
 * <p>The calls are the quickstart's: the admin endpoints a kubelet and a Prometheus scrape ask for,
 * a chat completion (plain and streamed) from the built-in mock provider, an MCP session with a
 * {@code tools/call} on the demo server, an A2A card and {@code message/send} to a demo agent, all
 * as {@code sk-dev-team-demo} (the training config's demo caller). Each must be answered with the
 * status named here, else the training fails, naming the call: a cache recorded from a run whose
 * requests were refused would be missing what it is for. Nothing leaves the machine.
 *
 * <p>Not thread-safe; one run per gateway.
 */
final class AotTraining {
    /** The training config's demo caller ({@code src/main/aot/training.yaml}, as in the quickstart). */
    private static final String BEARER = "Bearer sk-dev-team-demo";
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final String CHAT_STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final String MCP_INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
            + "\"capabilities\":{},\"clientInfo\":{\"name\":\"aot-training\",\"version\":\"1\"}}}";
    private static final String MCP_INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String MCP_TOOLS_CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"Hello\"}}}";
    private static final String A2A_SEND = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"kind\":\"message\","
            + "\"role\":\"user\",\"messageId\":\"m-1\",\"parts\":[{\"kind\":\"text\",\"text\":\"Hello\"}]}}}";

    private final HttpClient client;

    private record Answer(int status, MultiMap headers, String body) {
    }

    private record Port(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private AotTraining(Vertx vertx) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    }

    /**
     * Sends the training calls to a started gateway, one after another; fails with the first call
     * not answered as expected, or at once when the config lacks a listener for one of the protocols.
     */
    static Future<Void> run(Vertx vertx, Gateway gateway) {
        GatewayConfig config = gateway.runtime().config();
        Port admin = new Port(config.admin().address(), gateway.adminPort());
        Port llm;
        Port mcp;
        Port a2a;
        try {
            llm = address(gateway, ListenerConfig.Protocol.HTTP);
            mcp = address(gateway, ListenerConfig.Protocol.MCP);
            a2a = address(gateway, ListenerConfig.Protocol.A2A);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        AotTraining training = new AotTraining(vertx);
        return training.calls(admin, llm, mcp, a2a).eventually(training.client::close);
    }

    private Future<Void> calls(Port admin, Port llm, Port mcp, Port a2a) {
        return send(admin, HttpMethod.GET, "/healthz", null, null, 200)
                .compose(r -> send(admin, HttpMethod.GET, "/readyz", null, null, 200))
                .compose(r -> send(admin, HttpMethod.GET, "/metrics", null, null, 200))
                .compose(r -> send(llm, HttpMethod.POST, "/v1/chat/completions", CHAT, null, 200))
                .compose(r -> send(llm, HttpMethod.POST, "/v1/chat/completions", CHAT_STREAM, null, 200))
                .compose(r -> send(mcp, HttpMethod.POST, "/mcp/demo-tools", MCP_INITIALIZE, null, 200))
                .compose(r -> {
                    String session = r.get("mcp-session-id");
                    if (session == null) {
                        return Future.failedFuture("the MCP initialize answer carries no Mcp-Session-Id");
                    }
                    Function<MultiMap, MultiMap> inSession = h -> h.add("mcp-session-id", session);
                    return send(mcp, HttpMethod.POST, "/mcp/demo-tools", MCP_INITIALIZED, inSession, 202)
                            .compose(x -> send(mcp, HttpMethod.POST, "/mcp/demo-tools", MCP_TOOLS_CALL, inSession, 200))
                            .compose(x -> send(mcp, HttpMethod.DELETE, "/mcp/demo-tools", null, inSession, 204));
                })
                .compose(r -> send(a2a, HttpMethod.GET, "/dev-team/reviewer/.well-known/agent-card.json", null, null, 200))
                .compose(r -> send(a2a, HttpMethod.POST, "/dev-team/reviewer", A2A_SEND, null, 200))
                .mapEmpty();
    }

    /** Where the config's first listener speaking {@code protocol} is bound. */
    private static Port address(Gateway gateway, ListenerConfig.Protocol protocol) {
        for (ListenerConfig l : gateway.runtime().config().listeners()) {
            if (l.protocol() == protocol) {
                String host = l.address().equals("0.0.0.0") ? "127.0.0.1" : l.address().equals("::") ? "::1" : l.address();
                return new Port(host, gateway.port(l.name()));
            }
        }
        throw new IllegalArgumentException("the training config has no " + protocol + " listener");
    }

    /** One call; completes with the answer's headers once its body is read, or fails naming the call and what came back. */
    private Future<MultiMap> send(Port to, HttpMethod method, String path, String body,
                                  Function<MultiMap, MultiMap> headers, int status) {
        // A call that hangs fails on its own, named, well within the run's minute.
        RequestOptions options = new RequestOptions().setMethod(method).setHost(to.host()).setPort(to.port()).setURI(path)
                .setConnectTimeout(10_000).setIdleTimeout(20_000)
                .putHeader("authorization", BEARER)
                .putHeader("accept", "application/json, text/event-stream");
        if (body != null) {
            options.putHeader("content-type", "application/json");
        }
        String call = method + " " + to + path;
        return client.request(options).compose(request -> {
            if (headers != null) {
                headers.apply(request.headers());
            }
            return body == null ? request.send() : request.send(body);
        }).compose(response -> response.body().map(answer -> new Answer(response.statusCode(), response.headers(), answer.toString())))
                .recover(e -> Future.failedFuture(new IllegalStateException("training call " + call + " failed: " + e, e)))
                .compose(answer -> answer.status() == status ? Future.succeededFuture(answer.headers())
                        : Future.failedFuture("training call " + call + " answered " + answer.status() + ", not " + status
                                + ": " + answer.body().strip()));
    }
}
