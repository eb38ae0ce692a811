package io.agentgateway.llm;

import io.agentgateway.config.Durations;
import io.agentgateway.config.ProviderConfig;
import io.agentgateway.policy.Glob;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.upstream.UpstreamFailures;
import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.ConnectionGates;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * One configured upstream provider, compiled: where it is, which models it serves, its
 * connection gate, and the {@link ProviderDialect} that knows its paths, credentials,
 * capabilities and chat translator. Credentials are read per request (through the dialect), so
 * rotating a secret needs no reload.
 *
 * <p>Immutable and thread-safe.
 */
public final class Provider {
    private final ProviderConfig config;
    private final UpstreamRequest.Endpoint endpoint;
    private final String basePath;
    private final ProviderDialect dialect;
    private final List<Glob> models;
    private final long connectTimeoutMillis;
    private final ConnectionGate.Limits poolLimits;
    private final List<String> forwardHeaders;
    /** The gate last looked up, with the Vert.x instance it belongs to (one in a running gateway). */
    private volatile GateOf gate;

    private record GateOf(Vertx vertx, ConnectionGate gate) {
    }

    /** @param baseUrl the resolved base URL (the config's, or the dialect's default, or the mock's) */
    public Provider(ProviderConfig config, String baseUrl, ProviderDialect dialect) {
        this.config = config;
        this.endpoint = UpstreamRequest.Endpoint.parse(baseUrl);
        this.basePath = endpoint.base().equals("/") ? "" : endpoint.base();
        this.dialect = dialect;
        this.models = config.models().stream().map(Glob::of).toList();
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.poolLimits = ConnectionGate.Limits.of(config.connectionPool());
        this.forwardHeaders = config.forwardHeaders() != null ? config.forwardHeaders() : dialect.clientHeaders();
    }

    /** The client headers this provider receives ({@code forward_headers}, else its dialect's {@link ProviderDialect#clientHeaders()}). */
    public List<String> forwardHeaders() {
        return forwardHeaders;
    }

    public String name() {
        return config.name();
    }

    public ProviderDialect dialect() {
        return dialect;
    }

    /** The provider's name in the GenAI semantic conventions ({@code gen_ai.provider.name}). */
    public String semanticName() {
        return dialect.semanticName();
    }

    /** The chat translator for {@code upstreamModel} on this provider. */
    public ChatTranslator translator(String upstreamModel) {
        return dialect.chat(upstreamModel);
    }

    public ProviderConfig config() {
        return config;
    }

    public boolean serves(String model) {
        for (Glob g : models) {
            if (g.matches(model)) {
                return true;
            }
        }
        return false;
    }

    /** The path of the provider's model list, or null when it has none the gateway can read. */
    public String modelsPath() {
        String p = dialect.modelsPath();
        return p == null ? null : basePath + p;
    }

    /** The path of OpenAI API path {@code apiPath} ({@code /completions}, {@code /files/ID}) on this provider. */
    public String openAiPath(String apiPath) {
        return basePath + apiPath;
    }

    public boolean supports(ProviderDialect.Api api) {
        return dialect.supports(api);
    }

    /** The request path (with query) of {@code api} for {@code upstreamModel}: the base URL's path, then the dialect's. */
    public String path(ProviderDialect.Api api, String upstreamModel, boolean stream) {
        return basePath + dialect.path(api, upstreamModel, stream);
    }

    /**
     * Opens a request to this provider on the event loop's client, with the caller's headers its
     * allow-list names ({@link #forwardHeaders()}), the provider's credentials and headers (never
     * the client's) and the trace headers of its client span.
     * {@code body} is what will be sent (a signing dialect covers it); the caller sends it.
     * {@code accept} is the content type asked for (a stream's, or JSON).
     * The provider's {@code timeout} is not set here: the caller watches the call with the
     * loop's {@link io.agentgateway.upstream.Deadlines} (time to the answer and every gap
     * between stream chunks).
     */
    public Future<HttpClientRequest> open(HttpClient client, ConnectionGate.Permit permit, HttpServerRequest caller, String path,
                                          Buffer body,
                                          boolean stream, String requestId, MultiMap trace) {
        return open(client, permit, caller, HttpMethod.POST, path, "application/json", stream ? "text/event-stream" : "application/json",
                body, requestId, trace);
    }

    /**
     * As {@link #open(HttpClient, ConnectionGate.Permit, HttpServerRequest, String, Buffer, boolean, String, MultiMap)}
     * for any method and body type: {@code contentType} null for a request without a body,
     * {@code body} what a signing dialect covers (empty when the body is streamed through),
     * {@code caller} null for a request the gateway makes on its own (the model list).
     */
    public Future<HttpClientRequest> open(HttpClient client, ConnectionGate.Permit permit, HttpServerRequest caller, HttpMethod method,
                                          String path, String contentType, String accept, Buffer body, String requestId,
                                          MultiMap trace) {
        UpstreamRequest request = UpstreamRequest.to(endpoint, method, path);
        if (caller != null) {
            request.allow(caller, forwardHeaders);
        }
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        request.header("accept", accept);
        if (requestId != null) {
            request.header("x-request-id", requestId);
        }
        if (connectTimeoutMillis != ListenerContext.DEFAULT_CONNECT_TIMEOUT_MILLIS) {
            request.connectTimeout(connectTimeoutMillis);
        }
        Future<Void> authorized = dialect.authorize(request, body);
        if (authorized.succeeded()) {
            return request.credentials(config.headers()).trace(trace).open(client, permit);
        }
        return authorized.transform(ar -> {
            if (ar.failed()) {
                permit.release();
                return Future.failedFuture(ar.cause());
            }
            return request.credentials(config.headers()).trace(trace).open(client, permit);
        });
    }

    /** The gate in front of this provider ({@code connection_pool}), shared by every event loop of {@code vertx}. */
    public ConnectionGate gate(Vertx vertx) {
        GateOf known = gate;
        if (known != null && known.vertx() == vertx) {
            // Looked up once per provider: the limits were set on the gate then, and a reload builds a new provider.
            return known.gate();
        }
        ConnectionGate g = ConnectionGates.of(vertx).gate("llm", config.name(), poolLimits);
        gate = new GateOf(vertx, g);
        return g;
    }

    /** What went wrong calling this provider, as the client is told it. */
    public GatewayError failure(Throwable cause) {
        return UpstreamFailures.map("provider " + config.name(), cause, "provider " + config.name() + " sent nothing for "
                + Durations.format(config.timeout()) + " (its timeout)");
    }

    @Override
    public String toString() {
        return "provider " + config.name();
    }
}
