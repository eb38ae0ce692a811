package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.policy.Decision;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.ExchangeTracer;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /NAMESPACE/AGENT/.well-known/agent-card.json} (and {@code agent.json}, the A2A 0.2
 * name): the agent's card with its endpoints pointing at the gateway ({@link CardRewriter}). The
 * card is fetched under the asked name first and the other name second, then cached
 * ({@link CardCache}). A governed exchange like any call: authenticated, and authorized as
 * {@code agent:NAMESPACE/NAME} by both the A2A rules and the resource policies. One instance per
 * request.
 */
final class CardFlow implements ExchangeFlow {
    static final String CARD = "agent-card.json";
    static final String LEGACY_CARD = "agent.json";
    /** Cards are small documents; a bigger answer is not a card. */
    static final long MAX_CARD_BYTES = 1024 * 1024;

    /** A card as fetched, with the agent's caching headers. */
    private record Fetched(ObjectNode card, String cacheControl, String age) {
    }

    private final A2aRuntime a2a;
    private final ListenerContext context;
    private final String namespace;
    private final String name;
    private final String asked;
    private AgentEndpoint agent;

    /** @param asked the file name the caller asked for ({@link #CARD} or {@link #LEGACY_CARD}) */
    CardFlow(A2aRuntime a2a, ListenerContext context, String namespace, String name, String asked) {
        this.a2a = a2a;
        this.context = context;
        this.namespace = namespace;
        this.name = name;
        this.asked = asked;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        // A GET has no body to wait for; let the connection read on.
        ex.request().resume();
        agent = a2a.registry().resolve(namespace, name);
        ex.resource(agent.resource());
        return Future.succeededFuture();
    }

    @Override
    public Decision protocolDecision(Exchange ex) {
        Decision d = a2a.rules().decide(ex.principal(), agent.resource());
        ex.attribute(A2aAttributes.RULE, d.policy());
        return d;
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        CardCache.Cached cached = a2a.cards().get(agent.id());
        if (cached != null) {
            ex.attribute("card_cache", "hit");
            return send(ex, cached);
        }
        ex.attribute("card_cache", "miss");
        String other = CARD.equals(asked) ? LEGACY_CARD : CARD;
        return fetch(ex, asked)
                .compose(found -> found != null ? Future.succeededFuture(found) : fetch(ex, other))
                .compose(found -> {
                    if (found == null) {
                        return Future.failedFuture(agent.badAnswer("serves no agent card (HTTP 404 at "
                                + agent.wellKnownPath(CARD) + " and " + agent.wellKnownPath(LEGACY_CARD) + ")"));
                    }
                    return send(ex, a2a.cards().put(agent.id(), found.card(), found.cacheControl(), found.age()));
                });
    }

    /** One card fetch; null when the agent has no card under this name. */
    private Future<Fetched> fetch(Exchange ex, String file) {
        Duration timeout = a2a.timeout();
        MultiMap trace = MultiMap.caseInsensitiveMultiMap();
        Promise<Fetched> result = Promise.promise();
        ExchangeTracer.UpstreamSpan span = ex.traceUpstream("agent_card", agent.id(), trace);
        int[] answered = {0};
        HttpClientRequest[] sent = new HttpClientRequest[1];
        Deadlines.Deadline deadline = Deadlines.of(context.vertx()).watch(timeout.toMillis(), () -> {
            if (sent[0] != null) {
                sent[0].reset(0, new TimeoutException("no answer within " + timeout));
            }
        });
        result.future().onComplete(ar -> {
            deadline.cancel();
            span.end(answered[0], ar.cause());
        });
        UpstreamRequest request = agent.request(HttpMethod.GET, agent.wellKnownPath(file))
                .header("accept", "application/json")
                .header("x-request-id", ex.id())
                .trace(trace);
        agent.open(context.upstream(), a2a.gate(context.vertx(), agent), request, timeout)
                .compose(req -> {
                    if (deadline.expired()) {
                        req.reset();
                        return Future.failedFuture(new TimeoutException());
                    }
                    sent[0] = req;
                    return req.send();
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        result.fail(agent.failure(timedOutOr(deadline, ar.cause()), timeout));
                        return;
                    }
                    deadline.touch();
                    HttpClientResponse response = ar.result();
                    int status = response.statusCode();
                    answered[0] = status;
                    if (status == 404 || status == 405 || status == 410) {
                        response.body();
                        result.complete(null);
                        return;
                    }
                    BoundedBody.read(response, MAX_CARD_BYTES, deadline,
                            () -> agent.badAnswer("served an agent card larger than " + MAX_CARD_BYTES + " bytes"))
                            .onComplete(body -> {
                                if (body.failed()) {
                                    result.fail(agent.failure(timedOutOr(deadline, body.cause()), timeout));
                                } else if (status / 100 != 2) {
                                    result.fail(agent.badAnswer("answered HTTP " + status
                                            + " for its agent card at " + agent.wellKnownPath(file)));
                                } else {
                                    try {
                                        result.complete(new Fetched(parse(body.result()), response.getHeader("cache-control"),
                                                response.getHeader("age")));
                                    } catch (GatewayError e) {
                                        result.fail(e);
                                    }
                                }
                            });
                });
        return result.future();
    }

    private static Throwable timedOutOr(Deadlines.Deadline deadline, Throwable cause) {
        return deadline.expired() ? new TimeoutException("no answer within the timeout") : cause;
    }

    private ObjectNode parse(Buffer body) {
        JsonNode card;
        try {
            card = Json.MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw CardRewriter.invalid(agent.id(), "it is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw CardRewriter.invalid(agent.id(), "it could not be read: " + e.getMessage());
        }
        if (card == null || card.isMissingNode()) {
            throw CardRewriter.invalid(agent.id(), "it is empty");
        }
        if (!card.isObject()) {
            throw CardRewriter.invalid(agent.id(), "it is " + Json.kind(card) + ", not a JSON object");
        }
        return (ObjectNode) card;
    }

    private Future<Void> send(Exchange ex, CardCache.Cached cached) {
        String url = a2a.address().agentUrl(ex.request(), a2a.trustedProxies(context.listener()), namespace, name);
        Buffer body;
        try {
            body = Json.write(CardRewriter.rewrite(cached.card(), url, agent.id()));
        } catch (GatewayError e) {
            return Future.failedFuture(e);
        }
        HttpServerResponse response = ex.response();
        if (response.closed()) {
            return Future.failedFuture(clientClosed());
        }
        ex.markFirstByte();
        // The card is the caller's (it was authorized for it, and it names the address it used).
        response.setStatusCode(200)
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "private, max-age=" + cached.remaining().toSeconds());
        return response.end(body).recover(e -> Future.failedFuture(clientClosed()));
    }

    private static GatewayError clientClosed() {
        return new GatewayError(ErrorKind.CLIENT_CLOSED, 499, "client_closed", "the client closed the connection", null, null);
    }

    @Override
    public ErrorRenderer errors() {
        return new A2aErrors(null);
    }
}
