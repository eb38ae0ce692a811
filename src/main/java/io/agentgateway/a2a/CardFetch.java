package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.Exchange;
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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Fetches an agent's card for one A2A version, as the caller asked for it (its
 * {@code A2A-Version} is sent on): under the asked name first ({@code agent-card.json} or the
 * A2A 0.2 {@code agent.json}) and the other name second, traced as an {@code agent_card} upstream
 * call, and keeps it in the {@link CardCache} as the agent's {@code Cache-Control} allows. Used by
 * the card endpoint and by HTTP+JSON calls, which find the agent's REST interface in its card.
 * One per exchange, on its event loop.
 */
final class CardFetch {
    /** Cards are small documents; a bigger answer is not a card. */
    static final long MAX_CARD_BYTES = 1024 * 1024;

    /** A card as fetched, with the agent's caching headers. */
    private record Fetched(ObjectNode card, String cacheControl, String age) {
    }

    private final A2aRuntime a2a;
    private final ListenerContext context;
    private final AgentEndpoint agent;
    private final String version;

    /** @param version the caller's {@code A2A-Version}, or null */
    CardFetch(A2aRuntime a2a, ListenerContext context, AgentEndpoint agent, String version) {
        this.a2a = a2a;
        this.context = context;
        this.agent = agent;
        this.version = version;
    }

    /** The card from the cache, else fetched (and cached). */
    Future<CardCache.Cached> card(Exchange ex) {
        CardCache.Cached cached = a2a.cards().get(CardCache.key(agent.id(), version));
        return cached != null ? Future.succeededFuture(cached) : fetch(ex, CardFlow.CARD);
    }

    /** Fetches the card, trying {@code asked} first; fails with 502 when the agent serves none. */
    Future<CardCache.Cached> fetch(Exchange ex, String asked) {
        String other = CardFlow.CARD.equals(asked) ? CardFlow.LEGACY_CARD : CardFlow.CARD;
        return fetchOne(ex, asked)
                .compose(found -> found != null ? Future.succeededFuture(found) : fetchOne(ex, other))
                .compose(found -> {
                    if (found == null) {
                        return Future.failedFuture(agent.badAnswer("serves no agent card (HTTP 404 at "
                                + agent.wellKnownPath(CardFlow.CARD) + " and " + agent.wellKnownPath(CardFlow.LEGACY_CARD) + ")"));
                    }
                    return Future.succeededFuture(a2a.cards().put(CardCache.key(agent.id(), version), found.card(),
                            found.cacheControl(), found.age()));
                });
    }

    /** One card fetch; null when the agent has no card under this name. */
    private Future<Fetched> fetchOne(Exchange ex, String file) {
        Duration timeout = a2a.timeout();
        MultiMap trace = ex.traced() ? MultiMap.caseInsensitiveMultiMap() : null;
        Promise<Fetched> result = Promise.promise();
        ExchangeTracer.UpstreamSpan span = trace == null ? ExchangeTracer.UpstreamSpan.NONE
                : ex.traceUpstream("agent_card", agent.id(), trace);
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
        if (version != null) {
            // An agent speaking several versions answers with the card shaped for the caller's.
            request.header(A2aVersion.HEADER, version);
        }
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
}
