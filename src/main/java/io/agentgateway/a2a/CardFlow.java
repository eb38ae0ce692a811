package io.agentgateway.a2a;

import io.agentgateway.policy.Decision;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.ListenerContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;


/**
 * {@code GET /NAMESPACE/AGENT/.well-known/agent-card.json} (and {@code agent.json}, the A2A 0.2
 * name): the agent's card with its endpoints pointing at the gateway ({@link CardRewriter}), signed
 * by the gateway when the agent signed it. The card is fetched with the caller's
 * {@code A2A-Version} under the asked name first and the other name second, then cached per
 * version ({@link CardCache}). A governed exchange like any call: authenticated, and authorized as
 * {@code agent:NAMESPACE/NAME} by both the A2A rules and the resource policies; a card served
 * from the cache is not charged against budgets (no call reached the agent). One instance per
 * request.
 */
final class CardFlow implements ExchangeFlow {
    static final String CARD = "agent-card.json";
    static final String LEGACY_CARD = "agent.json";

    private final A2aRuntime a2a;
    private final ListenerContext context;
    private final String namespace;
    private final String name;
    private final String asked;
    private AgentEndpoint agent;
    private String version;
    private CardCache.Cached cached;

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
        version = A2aVersion.of(ex.request());
        return Future.succeededFuture();
    }

    /** A card in the cache is served from it, and costs no budget. */
    @Override
    public boolean charged(Exchange ex) {
        cached = a2a.cards().get(CardCache.key(agent.id(), version));
        return cached == null;
    }

    @Override
    public Decision protocolDecision(Exchange ex) {
        Decision d = a2a.rules().decide(ex.principal(), agent.resource());
        ex.fact(Facts.A2a.RULE, d.policy());
        return d;
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        if (cached != null) {
            ex.fact(Facts.A2a.CARD_CACHE, "hit");
            return send(ex, cached);
        }
        ex.fact(Facts.A2a.CARD_CACHE, "miss");
        return new CardFetch(a2a, context, agent, version).fetch(ex, asked).compose(fetched -> send(ex, fetched));
    }

    private Future<Void> send(Exchange ex, CardCache.Cached cached) {
        Buffer body;
        try {
            body = Json.write(a2a.presentCard(cached.card(), ex.request(), context.listener(), agent));
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
