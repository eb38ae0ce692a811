package io.agentgateway.a2a;

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
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /NAMESPACE/AGENT}: one A2A JSON-RPC call, one exchange. The body is parsed once to
 * learn the method, task and context, then forwarded to the agent byte for byte; the answer comes
 * back unchanged too (an event stream event by event), read on the way for the task id, context
 * id and final state. Only the answer of {@code GetExtendedAgentCard} is rewritten, as it is an
 * agent card. One instance per request.
 */
final class RpcFlow implements ExchangeFlow {
    /** Largest non-streamed answer the gateway holds to read it; streams are never held. */
    static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    private final A2aRuntime a2a;
    private final ListenerContext context;
    private final String namespace;
    private final String name;
    private final CallFacts facts = new CallFacts();
    private AgentEndpoint agent;
    private Buffer body;
    private JsonNode id;
    private RpcRequest rpc;
    private HttpClientRequest upstreamRequest;
    private TaskStream stream;
    private Deadlines.Deadline deadline;
    private Deadlines.Deadline headTimer;
    private int upstreamStatus;

    RpcFlow(A2aRuntime a2a, ListenerContext context, String namespace, String name) {
        this.a2a = a2a;
        this.context = context;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        agent = a2a.registry().resolve(namespace, name);
        ex.resource(agent.resource());
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(b -> {
            body = b;
            ex.recordRequestPayload(b);
            JsonNode json = RpcRequest.parseJson(b);
            id = RpcRequest.idOf(json);
            rpc = RpcRequest.of(json);
            ex.action(rpc.method());
            facts.request(rpc);
            facts.record(ex);
            return null;
        });
    }

    /** The {@code a2a.authorization} rules: the caller (source) and this agent (target). */
    @Override
    public Decision protocolDecision(Exchange ex) {
        Decision d = a2a.rules().decide(ex.principal(), agent.resource());
        ex.attribute(A2aAttributes.RULE, d.policy());
        return d;
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        Promise<Void> done = Promise.promise();
        done.future().onComplete(ar -> facts.record(ex));
        MultiMap trace = MultiMap.caseInsensitiveMultiMap();
        ExchangeTracer.UpstreamSpan span = ex.traceUpstream(rpc.method(), agent.id(), trace);
        done.future().onComplete(ar -> span.end(upstreamStatus, ar.cause()));
        Duration timeout = rpc.streaming() ? a2a.streamTimeout() : a2a.timeout();
        Deadlines deadlines = Deadlines.of(context.vertx());
        // One deadline for the whole call: the wait for the answer and every silence within it.
        deadline = deadlines.watch(timeout.toMillis(), () -> timedOut(timeout));
        done.future().onComplete(ar -> {
            deadline.cancel();
            cancelHeadTimer();
        });
        ex.response().closeHandler(v -> clientGone(done));
        if (rpc.streaming()) {
            long keepAlive = a2a.keepAliveMillis(context.listener());
            stream = new TaskStream(ex, rpc, agent, timeout, facts::response, done, deadlines, keepAlive);
            // An agent slow to start its answer must not get the caller's connection closed as idle.
            headTimer = deadlines.watch(keepAlive, () -> {
                if (!done.future().isComplete()) {
                    stream.open(null);
                }
            });
        }
        UpstreamRequest request = A2aHeaders.toAgent(ex, agent.request(HttpMethod.POST, agent.rpcPath())).trace(trace);
        agent.open(context.upstream(), a2a.gate(context.vertx(), agent), request, timeout)
                .compose(req -> {
                    if (deadline.expired()) {
                        // The time ran out while connecting.
                        req.reset();
                        return Future.failedFuture(new TimeoutException());
                    }
                    upstreamRequest = req;
                    return req.send(body);
                })
                .onComplete(ar -> {
                    cancelHeadTimer();
                    if (done.future().isComplete()) {
                        if (ar.succeeded()) {
                            ar.result().request().reset();
                        }
                        return;
                    }
                    if (ar.failed()) {
                        fail(agent.failure(timedOutOr(ar.cause()), timeout), done);
                    } else {
                        deadline.touch();
                        answer(ex, ar.result(), timeout, done);
                    }
                });
        return done.future();
    }

    /** The call's time ran out: mid-stream the caller is told in-band first; else the request is reset and fails. */
    private void timedOut(Duration timeout) {
        if (stream != null && stream.attached()) {
            stream.timedOut();
        } else if (upstreamRequest != null) {
            upstreamRequest.reset(0, new TimeoutException("no answer within " + timeout));
        }
    }

    /** After the deadline fired, whatever failure follows is the timeout. */
    private Throwable timedOutOr(Throwable cause) {
        return deadline.expired() ? new TimeoutException("no answer within the timeout") : cause;
    }

    private void answer(Exchange ex, HttpClientResponse upstream, Duration timeout, Promise<Void> done) {
        int status = upstream.statusCode();
        upstreamStatus = status;
        ex.attribute(A2aAttributes.UPSTREAM_STATUS, status);
        String type = upstream.getHeader("content-type");
        if (status / 100 == 2 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            ex.attribute(A2aAttributes.STREAM, true);
            if (stream == null) {
                stream = new TaskStream(ex, rpc, agent, timeout, facts::response, done, Deadlines.of(context.vertx()),
                        a2a.keepAliveMillis(context.listener()));
            }
            stream.attach(upstream, deadline);
            return;
        }
        BoundedBody.read(upstream, MAX_ANSWER_BYTES, deadline,
                () -> agent.badAnswer("answered with more than " + MAX_ANSWER_BYTES + " bytes"))
                .onComplete(read -> {
                    if (done.future().isComplete()) {
                        return;
                    }
                    if (read.failed()) {
                        fail(agent.failure(timedOutOr(read.cause()), timeout), done);
                        return;
                    }
                    try {
                        if (stream != null && stream.isOpen()) {
                            // The caller's stream is already open: the answer goes in as its one event.
                            RpcResult result = check(upstream, read.result());
                            ex.attribute(A2aAttributes.STREAM, true);
                            if (result.json()) {
                                stream.relayWhole(read.result());
                            } else {
                                stream.fail(agent.badAnswer("answered HTTP " + status + " with no body"));
                            }
                        } else {
                            send(ex, upstream, read.result(), done);
                        }
                    } catch (GatewayError e) {
                        fail(e, done);
                    }
                });
    }

    /** A failure: in-band when the caller's stream is open, else rendered by the chain. */
    private void fail(GatewayError error, Promise<Void> done) {
        if (stream != null && stream.isOpen()) {
            stream.fail(error);
        } else {
            done.tryFail(error);
        }
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel();
        }
    }

    /**
     * Reads what the agent answered (not a stream); fails when it is no JSON-RPC answer at all
     * (an HTML error page, a proxy's text), saying what came back.
     */
    private RpcResult check(HttpClientResponse upstream, Buffer answer) {
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        if (answer.length() == 0) {
            if (status / 100 != 2) {
                throw agent.badAnswer("answered HTTP " + status + " with no body");
            }
            return RpcResult.NOT_JSON;
        }
        RpcResult result = RpcResult.scan(answer.getBytes());
        if (!result.json()) {
            throw agent.badAnswer("answered HTTP " + status + " with "
                    + (type == null ? "a body of no declared type" : "a " + type + " body") + ", not a JSON-RPC response");
        }
        return result;
    }

    private void send(Exchange ex, HttpClientResponse upstream, Buffer answer, Promise<Void> done) {
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        RpcResult result = check(upstream, answer);
        facts.response(result);
        Buffer out = answer;
        if (status / 100 == 2 && result.json() && !result.error() && A2aMethods.returnsCard(rpc.method())) {
            out = rewriteCardResult(ex, answer);
        }
        HttpServerResponse response = ex.response();
        if (response.closed()) {
            done.tryFail(clientClosed());
            return;
        }
        response.setStatusCode(status);
        if (type != null) {
            response.putHeader("content-type", type);
        }
        A2aHeaders.toCaller(upstream, response);
        ex.markFirstByte();
        response.end(out).onComplete(ar -> {
            if (ar.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(clientClosed());
            }
        });
    }

    /** {@code GetExtendedAgentCard} answers with a card: it must point at the gateway like the public one. */
    private Buffer rewriteCardResult(Exchange ex, Buffer answer) {
        JsonNode tree = Json.parse(answer);
        JsonNode card = tree.get("result");
        if (card == null || !card.isObject()) {
            return answer;
        }
        HttpServerRequest request = ex.request();
        String url = a2a.address().agentUrl(request, a2a.trustedProxies(context.listener()), agent.namespace(), agent.name());
        ((ObjectNode) tree).set("result", CardRewriter.rewrite((ObjectNode) card, url, agent.id()));
        return Json.write(tree);
    }

    /** The caller went away: stop the agent's answer (a task goes on; its caller may resubscribe). */
    private void clientGone(Promise<Void> done) {
        if (done.future().isComplete()) {
            return;
        }
        cancelHeadTimer();
        deadline.cancel();
        if (stream != null) {
            stream.stop();
        }
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        done.tryFail(clientClosed());
    }

    private static GatewayError clientClosed() {
        return new GatewayError(ErrorKind.CLIENT_CLOSED, 499, "client_closed", "the client closed the connection", null, null);
    }

    @Override
    public ErrorRenderer errors() {
        return new A2aErrors(id);
    }
}
