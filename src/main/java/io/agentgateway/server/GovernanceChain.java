package io.agentgateway.server;

import io.agentgateway.core.Usage;

import io.agentgateway.budget.BudgetExceededException;
import io.agentgateway.budget.BudgetUnavailableException;
import io.agentgateway.budget.Budgets;
import io.agentgateway.budget.Estimate;
import io.agentgateway.budget.Reservation;
import io.agentgateway.config.ListenerConfig;
import io.agentgateway.identity.Authentication;
import io.agentgateway.identity.AuthenticationException;
import io.agentgateway.identity.Credentials;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.policy.RequestFacts;
import io.agentgateway.policy.Resource;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The governance chain every request on every listener goes through, in one place. The order of
 * {@link #run} is the security contract; protocols only say what the resource is, how to forward
 * and how to render a refusal ({@link ExchangeFlow}).
 *
 * <p>Immutable and thread-safe; one per compiled runtime.
 */
public final class GovernanceChain {
    private static final Logger log = LoggerFactory.getLogger(GovernanceChain.class);
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    private static final Decision NO_RESOURCE = new Decision(true, null, "the request names no governed resource");

    private final Authentication authentication;
    private final PolicyEngine policies;
    private final Budgets budgets;
    private final ExchangeListener listener;
    private final Clock clock;
    private final InFlight inFlight;
    private final ExchangeTracer tracer;
    private final boolean recordPayloads;

    public GovernanceChain(Authentication authentication, PolicyEngine policies, Budgets budgets,
                           ExchangeListener listener, Clock clock, InFlight inFlight) {
        this(authentication, policies, budgets, listener, clock, inFlight, ExchangeTracer.NONE);
    }

    public GovernanceChain(Authentication authentication, PolicyEngine policies, Budgets budgets,
                           ExchangeListener listener, Clock clock, InFlight inFlight, ExchangeTracer tracer) {
        this(authentication, policies, budgets, listener, clock, inFlight, tracer, false);
    }

    /** @param recordPayloads keep request and answer bodies on exchanges for the audit log ({@code include_payloads}) */
    public GovernanceChain(Authentication authentication, PolicyEngine policies, Budgets budgets,
                           ExchangeListener listener, Clock clock, InFlight inFlight, ExchangeTracer tracer,
                           boolean recordPayloads) {
        this.recordPayloads = recordPayloads;
        this.authentication = authentication;
        this.policies = policies;
        this.budgets = budgets;
        this.listener = listener;
        this.clock = clock;
        this.inFlight = inFlight;
        this.tracer = tracer;
    }

    public PolicyEngine policies() {
        return policies;
    }

    public Authentication authentication() {
        return authentication;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Opens the exchange for a request on a listener and applies the listener's
     * {@code max_header_count}: a request with more headers is refused with a 431 when it runs.
     */
    public Exchange start(HttpServerRequest request, ListenerConfig listener, Protocol protocol) {
        Exchange ex = start(request, listener.name(), protocol);
        int headers = headerFields(request);
        if (headers > listener.maxHeaderCount()) {
            ex.refusedAtStart = new GatewayError(ErrorKind.INVALID_REQUEST, 431, "request_header_fields_too_large",
                    "the request has " + headers + " header fields; listener " + listener.name()
                            + " accepts at most " + listener.maxHeaderCount() + " (max_header_count)", null, null);
        }
        return ex;
    }

    /**
     * The request's header fields, a repeated name counted each time (what {@code max_header_count}
     * limits). Counted by walking them: {@code MultiMap.size()} counts distinct names and builds a
     * sorted set of them to do so, and iterating allocates an entry object per header.
     */
    private static int headerFields(HttpServerRequest request) {
        HeaderCount count = new HeaderCount();
        request.headers().forEach(count);
        return count.n;
    }

    private static final class HeaderCount implements BiConsumer<String, String> {
        int n;

        @Override
        public void accept(String name, String value) {
            n++;
        }
    }

    /** Opens the exchange for a request: request id (the caller's {@code x-request-id} if sane), start time. */
    public Exchange start(HttpServerRequest request, String listenerName, Protocol protocol) {
        inFlight.enter();
        String id = request.getHeader("x-request-id");
        if (id == null || !saneId(id)) {
            id = newId();
        }
        Exchange ex = new Exchange(id, clock.instant(), System.nanoTime(), listenerName, protocol, request);
        request.response().putHeader(REQUEST_ID, id);
        ex.tracer(tracer);
        ex.recordPayloads(recordPayloads);
        tracer.start(ex);
        return ex;
    }

    /**
     * Runs one governed request to completion. The order is the contract:
     * <ol>
     * <li>authenticate first, from headers and the TLS session only: nothing the request says
     *     about itself (its body, an X-Namespace header) is trusted, and a stranger costs us no
     *     body read;</li>
     * <li>classify: read and parse the request to learn the resource (and the token estimate);</li>
     * <li>authorize the principal for that resource (the protocol's own rules, then the resource
     *     policies; both must allow): a refused call never reaches a budget, so it cannot spend one;</li>
     * <li>reserve budget last before forwarding, so only calls that will be forwarded hold a
     *     reservation (an answer the flow serves from the gateway's cache is not charged);</li>
     * <li>forward (translate, stream, count), then reconcile the reservation to the real usage
     *     (also when the forward failed or the client went away: what was generated is charged);</li>
     * <li>complete exactly once: metrics, span, audit.</li>
     * </ol>
     */
    public void run(Exchange ex, ExchangeFlow flow) {
        new ChainRun(this, ex, flow).start();
    }

    /** The end of a run, once: reconcile the reservation to the real usage, price it, refuse or record the status, complete. */
    void finish(Exchange ex, ExchangeFlow flow, Throwable failure) {
        ex.reservation().reconcile(ex.usage() == null ? Usage.NONE : ex.usage());
        cost(ex);
        if (failure != null) {
            fail(ex, flow, failure);
        } else if (ex.status() == 0) {
            ex.status(ex.response().getStatusCode());
        }
        complete(ex);
    }

    /**
     * Refuses a request before authentication (a check on the request's envelope, such as the
     * MCP listener's {@code Origin} validation): renders {@code error} and completes the exchange,
     * so the refusal is measured and audited like any other.
     */
    public void refuse(Exchange ex, ErrorRenderer errors, GatewayError error) {
        ex.error(error);
        ex.status(error.status());
        if (!ex.request().isEnded()) {
            ex.request().resume();
        }
        errors.render(ex, error);
        complete(ex);
    }

    /** Authenticates a request on its own, for protocols that fan one HTTP request out into several exchanges. */
    public Future<Void> authenticate(Exchange ex) {
        if (!authentication.enabled()) {
            ex.principal(io.agentgateway.identity.Principal.ANONYMOUS);
            return Future.succeededFuture();
        }
        return authentication.authenticate(credentials(ex)).map(p -> {
            ex.principal(p);
            return null;
        });
    }

    /** The authorize step: null when allowed, else a failed future with the 403. */
    Future<Void> authorize(Exchange ex, ExchangeFlow flow) {
        Resource resource = ex.resource();
        if (resource instanceof Resource.None) {
            ex.decision(NO_RESOURCE);
            return null;
        }
        // Both the protocol's rules (A2A source->target) and the resource policies must allow; a
        // deny from the rules is recorded as the decision so the refusal names the rule.
        Decision rule = flow.protocolDecision(ex);
        if (rule != null && !rule.allowed()) {
            ex.decision(rule);
            return Future.failedFuture(new GatewayError(ErrorKind.FORBIDDEN, 403, "permission_denied",
                    PolicyCheck.ruleRefusal(rule, resource), null, null));
        }
        Decision d = policies.decide(ex.principal(), resource, facts(ex.request()));
        ex.decision(PolicyCheck.decisive(rule, d));
        if (d.allowed()) {
            return null;
        }
        return Future.failedFuture(new GatewayError(ErrorKind.FORBIDDEN, 403, "permission_denied",
                PolicyCheck.policyRefusal(ex.principal(), resource, d), null, null));
    }

    /** What the usage cost, for the audit log and the cost metric ({@code cost_usd}), when the model has a price. */
    private void cost(Exchange ex) {
        Usage usage = ex.usage();
        if (ex.protocol() != Protocol.LLM || usage == null
                || usage.totalTokens() == 0 && usage.inputTokens() == 0 && usage.outputTokens() == 0) {
            return;
        }
        String model = ex.upstreamModel() != null ? ex.upstreamModel() : ex.pricedModel();
        io.agentgateway.budget.PriceTable.Price price = budgets.prices().price(model);
        if (price != null) {
            ex.fact(Facts.Llm.COST_USD, price.microUsd(usage) / 1e6);
        }
    }

    /** The reserve step: the reservation (the run records it on the exchange and writes its headers). */
    Future<Reservation> reserve(Exchange ex) {
        Estimate estimate = new Estimate(ex.estimatedTokens() - ex.estimatedOutputTokens(), ex.estimatedOutputTokens(),
                ex.resource() instanceof Resource.Model ? ex.pricedModel() : null);
        return budgets.reserve(ex.principal(), ex.resource(), estimate);
    }

    private void fail(Exchange ex, ExchangeFlow flow, Throwable cause) {
        GatewayError error = toGatewayError(ex, cause);
        ex.error(error);
        HttpServerResponse response = ex.response();
        if (response.headWritten()) {
            // The flow already streamed part of an answer and reported the failure in-band;
            // the client saw this status.
            ex.status(response.getStatusCode());
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            return;
        }
        ex.status(error.status());
        if (error.kind() == ErrorKind.CLIENT_CLOSED || response.closed()) {
            return;
        }
        HttpServerRequest request = ex.request();
        if (!request.isEnded()) {
            if (error.kind() == ErrorKind.PAYLOAD_TOO_LARGE) {
                // The rest of an oversize body is not worth reading: HTTP/1 closes after the answer, HTTP/2 resets the stream.
                if (request.version() != HttpVersion.HTTP_2) {
                    response.putHeader("connection", "close");
                }
            } else {
                // Refused before its body was read: drain it so the connection can serve the next request.
                request.resume();
            }
        }
        flow.errors().render(ex, error);
    }

    private GatewayError toGatewayError(Exchange ex, Throwable cause) {
        if (cause instanceof GatewayError g) {
            return g;
        }
        if (cause instanceof AuthenticationException a) {
            ErrorKind kind = switch (a.status()) {
                case 403 -> ErrorKind.FORBIDDEN;
                case 503 -> ErrorKind.UNAVAILABLE;
                default -> ErrorKind.UNAUTHENTICATED;
            };
            GatewayError g = new GatewayError(kind, kind.status(),
                    kind == ErrorKind.UNAUTHENTICATED ? "invalid_credential" : kind == ErrorKind.FORBIDDEN
                            ? "namespace_not_allowed" : "identity_provider_unavailable", a.getMessage(), null, null);
            if (kind == ErrorKind.UNAUTHENTICATED) {
                g.header("WWW-Authenticate", "Bearer realm=\"agentgateway\"");
            }
            return g;
        }
        if (cause instanceof BudgetExceededException b) {
            long seconds = Math.max(1, (b.retryAfter().toMillis() + 999) / 1000);
            return new GatewayError(ErrorKind.RATE_LIMITED, 429, "rate_limit_exceeded", b.getMessage(), null, null)
                    .headers(b.headers()).header("Retry-After", Long.toString(seconds));
        }
        if (cause instanceof BudgetUnavailableException b) {
            return new GatewayError(ErrorKind.UNAVAILABLE, 503, "budget_store_unavailable", b.getMessage(), null, null);
        }
        log.error("request {} failed unexpectedly", ex.id(), cause);
        return new GatewayError(ErrorKind.INTERNAL, 500, "internal_error", "internal gateway error (request " + ex.id() + ")", null, cause);
    }

    /** Ends an exchange: exactly once, whatever path it took. */
    public void complete(Exchange ex) {
        if (!ex.markCompleted()) {
            return;
        }
        try {
            tracer.end(ex);
            listener.onComplete(ex);
        } finally {
            inFlight.exit();
        }
    }

    /** What the request offers to prove who sent it (its address as the exchange recorded it once). */
    Credentials credentials(Exchange ex) {
        HttpServerRequest request = ex.request();
        List<Certificate> certs = List.of();
        if (request.isSSL()) {
            try {
                certs = request.connection().peerCertificates();
            } catch (SSLPeerUnverifiedException e) {
                certs = List.of();
            }
        }
        return new Credentials(request.headers(), certs, ex.sourceIp());
    }

    private static RequestFacts facts(HttpServerRequest request) {
        return new RequestFacts(request.method().name(), request.path(), request.headers());
    }

    private static boolean saneId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long a = r.nextLong();
        long b = r.nextLong();
        // Latin-1 bytes: the String keeps them as they are (a char[] would be compressed into a copy).
        byte[] out = new byte[32];
        for (int i = 0; i < 16; i++) {
            out[15 - i] = HEX[(int) (a >>> (i * 4)) & 0xf];
            out[31 - i] = HEX[(int) (b >>> (i * 4)) & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
