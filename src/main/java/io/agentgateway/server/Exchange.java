package io.agentgateway.server;

import io.agentgateway.budget.Reservation;
import io.agentgateway.core.Usage;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.Resource;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.util.Map;

/**
 * One governed request, from accept to completion: the single request log from which metrics,
 * span and audit event are emitted once. For MCP and A2A one JSON-RPC call is one exchange.
 *
 * <p>Confined to the event loop of the connection it arrived on: not thread-safe, never shared.
 * Fields are filled as the request moves through the chain; unset ones are null (or 0).
 */
public final class Exchange {
    private final String id;
    private final Instant startTime;
    private final long startNanos;
    private final String listener;
    private final Protocol protocol;
    private final HttpServerRequest request;
    private final String sourceIp;

    private String action;
    private Principal principal;
    private Resource resource = Resource.None.INSTANCE;
    private Decision decision;
    private long estimatedTokens;
    private long estimatedOutputTokens;
    private String pricedModel;
    private Reservation reservation = Reservation.NONE;
    private Usage usage;
    private String provider;
    private String requestModel;
    private String upstreamModel;
    private int status;
    private GatewayError error;
    private long firstByteNanos;
    private long endNanos;
    private FactTable attributes;
    private boolean completed;
    private ExchangeTracer tracer = ExchangeTracer.NONE;
    private boolean recordPayloads;
    private io.vertx.core.buffer.Buffer requestPayload;
    private io.vertx.core.buffer.Buffer responsePayload;
    private Object traceState;
    /** A refusal decided before the chain runs (too many headers): the chain fails with it first. */
    GatewayError refusedAtStart;

    Exchange(String id, Instant startTime, long startNanos, String listener, Protocol protocol, HttpServerRequest request) {
        this.id = id;
        this.startTime = startTime;
        this.startNanos = startNanos;
        this.listener = listener;
        this.protocol = protocol;
        this.request = request;
        this.sourceIp = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    public String id() {
        return id;
    }

    public Instant startTime() {
        return startTime;
    }

    public long startNanos() {
        return startNanos;
    }

    public String listener() {
        return listener;
    }

    public Protocol protocol() {
        return protocol;
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public String sourceIp() {
        return sourceIp;
    }

    public String action() {
        return action;
    }

    public Exchange action(String action) {
        this.action = action;
        return this;
    }

    public Principal principal() {
        return principal;
    }

    void principal(Principal principal) {
        this.principal = principal;
    }

    public Resource resource() {
        return resource;
    }

    public Exchange resource(Resource resource) {
        this.resource = resource;
        return this;
    }

    public Decision decision() {
        return decision;
    }

    void decision(Decision decision) {
        this.decision = decision;
    }

    public long estimatedTokens() {
        return estimatedTokens;
    }

    public Exchange estimatedTokens(long tokens) {
        this.estimatedTokens = tokens;
        this.estimatedOutputTokens = 0;
        return this;
    }

    /** The token estimate split into input and output, so a cost budget prices each at its rate. */
    public Exchange estimatedTokens(long input, long output) {
        this.estimatedTokens = input + output;
        this.estimatedOutputTokens = output;
        return this;
    }

    /** The output part of {@link #estimatedTokens()} (0 when the flow gave no split). */
    public long estimatedOutputTokens() {
        return estimatedOutputTokens;
    }

    /**
     * The model whose price a cost budget charges: the upstream model the request is routed to
     * first, set by the flow; null falls back to {@link #requestModel()}.
     */
    public String pricedModel() {
        return pricedModel != null ? pricedModel : requestModel;
    }

    public Exchange pricedModel(String model) {
        this.pricedModel = model;
        return this;
    }

    public Reservation reservation() {
        return reservation;
    }

    void reservation(Reservation reservation) {
        this.reservation = reservation;
    }

    public Usage usage() {
        return usage;
    }

    public Exchange usage(Usage usage) {
        this.usage = usage;
        return this;
    }

    public String provider() {
        return provider;
    }

    public String requestModel() {
        return requestModel;
    }

    public Exchange requestModel(String model) {
        this.requestModel = model;
        return this;
    }

    public String upstreamModel() {
        return upstreamModel;
    }

    /** Records which upstream is (now) serving the request; a fallback overwrites the first try. */
    public Exchange upstream(String provider, String model) {
        this.provider = provider;
        this.upstreamModel = model;
        return this;
    }

    public int status() {
        return status;
    }

    public Exchange status(int status) {
        this.status = status;
        return this;
    }

    public GatewayError error() {
        return error;
    }

    void error(GatewayError error) {
        this.error = error;
    }

    /** Marks the first byte of the answer sent to the client (time to first token for streams). */
    public void markFirstByte() {
        if (firstByteNanos == 0) {
            firstByteNanos = System.nanoTime();
        }
    }

    public long firstByteNanos() {
        return firstByteNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public double durationMillis() {
        return (endNanos - startNanos) / 1_000_000.0;
    }

    /**
     * Records a fact (null removes it). Refused for a fact of another protocol than this
     * exchange's: an MCP fact on an LLM exchange is a bug, not data.
     */
    public <T> Exchange fact(Fact<T> key, T value) {
        if (key.protocol() != null && key.protocol() != protocol) {
            throw new IllegalArgumentException(key.name() + " is a fact of " + key.protocol().wire() + " exchanges, not of " + protocol.wire());
        }
        return attribute(key.name(), value);
    }

    /** The fact recorded under {@code key}, or null. */
    public <T> T fact(Fact<T> key) {
        Object v = attributes == null ? null : attributes.get(key.name());
        return key.type().isInstance(v) ? key.type().cast(v) : null;
    }

    /**
     * Records a fact only its own protocol package knows of (shown in spans and audit under
     * {@code key}, never read by name elsewhere; null removes it); facts others read are {@link Facts}.
     */
    public Exchange attribute(String key, Object value) {
        if (value == null) {
            if (attributes != null) {
                attributes.delete(key);
            }
            return this;
        }
        if (attributes == null) {
            attributes = new FactTable();
        }
        attributes.set(key, value);
        return this;
    }

    /**
     * Every fact recorded, by name, in the order first recorded: what spans and audit events show.
     * A read-only view of this exchange's facts (it changes as facts are recorded): read it on the
     * exchange's event loop, or take {@link #attributesCopy()}.
     */
    public Map<String, Object> attributes() {
        return attributes == null ? Map.of() : attributes;
    }

    /** An immutable copy of {@link #attributes()}, in the same order, for a reader on another thread. */
    public Map<String, Object> attributesCopy() {
        return attributes == null || attributes.isEmpty() ? Map.of() : attributes.copy();
    }

    /**
     * Opens a traced upstream call: a client span, child of this exchange's span, whose trace
     * headers (W3C and B3) are written into {@code headers} for the upstream request.
     *
     * @param name the span name (e.g. {@code chat gpt-4o})
     * @param peer the upstream's name (provider, MCP server, agent)
     */
    public ExchangeTracer.UpstreamSpan traceUpstream(String name, String peer, io.vertx.core.MultiMap headers) {
        return tracer.upstream(this, name, peer, headers);
    }

    /**
     * Whether upstream calls are traced: without a tracer a call needs neither trace headers nor
     * a span name, so it builds none ({@link #traceUpstream} would write nothing into them).
     */
    public boolean traced() {
        return tracer != ExchangeTracer.NONE;
    }

    /**
     * Keeps the request body for the audit log, when {@code observability.logging.include_payloads}
     * is on (prompts, tool arguments); otherwise does nothing. The buffer must not change afterwards.
     */
    public void recordRequestPayload(io.vertx.core.buffer.Buffer body) {
        if (recordPayloads) {
            requestPayload = body;
        }
    }

    /** Keeps the answer sent to the client for the audit log, when payloads are recorded (completions). */
    public void recordResponsePayload(io.vertx.core.buffer.Buffer body) {
        if (recordPayloads) {
            responsePayload = body;
        }
    }

    public io.vertx.core.buffer.Buffer requestPayload() {
        return requestPayload;
    }

    public io.vertx.core.buffer.Buffer responsePayload() {
        return responsePayload;
    }

    void recordPayloads(boolean on) {
        this.recordPayloads = on;
    }

    /** The tracer's state for this exchange (its server span); opaque to everyone else. */
    public Object traceState() {
        return traceState;
    }

    public void traceState(Object state) {
        this.traceState = state;
    }

    void tracer(ExchangeTracer tracer) {
        this.tracer = tracer;
    }

    public boolean completed() {
        return completed;
    }

    /** @return true the first time only */
    boolean markCompleted() {
        if (completed) {
            return false;
        }
        completed = true;
        endNanos = System.nanoTime();
        return true;
    }
}
