package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.policy.Decision;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.ExchangeTracer;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One A2A call, one exchange, in either binding the gateway serves ({@link Binding}):
 * <ul>
 * <li>JSON-RPC, {@code POST /NAMESPACE/AGENT}: the body is scanned once ({@link RpcScan}) to learn
 *     the method, task and context, and goes to the agent's configured URL;</li>
 * <li>HTTP+JSON, {@code /NAMESPACE/AGENT/REST-PATH} ({@link RestRoute}): the path names the
 *     operation and task; it goes below the path of the agent's HTTP+JSON interface, as the
 *     agent's card for the caller's {@code A2A-Version} declares it, on the configured host.</li>
 * </ul>
 * The request goes to the agent byte for byte; the answer comes back unchanged too (an event
 * stream event by event), read on the way for the task id, context id and final state. Only the
 * answer of {@code GetExtendedAgentCard} is rewritten, as it is an agent card. One instance per
 * request.
 */
final class CallFlow implements ExchangeFlow {
    /** Largest non-streamed answer the gateway holds to read it; streams are never held. */
    static final long MAX_ANSWER_BYTES = 64L * 1024 * 1024;

    private final A2aRuntime a2a;
    private final ListenerContext context;
    private final String namespace;
    private final String name;
    /** The raw path below {@code /NAMESPACE/AGENT} of an HTTP+JSON call; null for JSON-RPC. */
    private final String restPath;
    private final CallFacts facts = new CallFacts();
    private AgentEndpoint agent;
    private Buffer body;
    private JsonNode id;
    private Binding binding;
    private String version;
    private HttpClientRequest upstreamRequest;
    private TaskStream stream;
    private Deadlines.Deadline deadline;
    private Deadlines.Deadline headTimer;
    private int upstreamStatus;

    /** A JSON-RPC call. */
    static CallFlow jsonRpc(A2aRuntime a2a, ListenerContext context, String namespace, String name) {
        return new CallFlow(a2a, context, namespace, name, null);
    }

    /** An HTTP+JSON call; {@code restPath} is the raw path below {@code /NAMESPACE/AGENT}. */
    static CallFlow rest(A2aRuntime a2a, ListenerContext context, String namespace, String name, String restPath) {
        return new CallFlow(a2a, context, namespace, name, restPath);
    }

    private CallFlow(A2aRuntime a2a, ListenerContext context, String namespace, String name, String restPath) {
        this.a2a = a2a;
        this.context = context;
        this.namespace = namespace;
        this.name = name;
        this.restPath = restPath;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        agent = a2a.registry().resolve(namespace, name);
        ex.resource(agent.resource());
        if (restPath != null) {
            return classifyRest(ex);
        }
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(b -> {
            body = b;
            ex.recordRequestPayload(b);
            RpcRequest rpc = RpcScan.read(b);
            if (rpc == null) {
                // Not a plain valid request: the tree read decides, and words the refusal with the id it found.
                JsonNode json = RpcRequest.parseJson(b);
                id = RpcRequest.idOf(json);
                rpc = RpcRequest.of(json);
            }
            id = rpc.id();
            binding = new Binding.JsonRpc(rpc, id);
            ex.action(rpc.method());
            facts.request(rpc.method(), rpc.taskId(), rpc.contextId());
            facts.record(ex);
            return null;
        });
    }

    /** The operation and task from the path; the body, when the operation has one, for the message's ids. */
    private Future<Void> classifyRest(Exchange ex) {
        HttpMethod method = ex.request().method();
        RestRoute route = RestRoute.of(method, restPath);
        version = A2aVersion.of(ex.request());
        binding = new Binding.Rest(route, method);
        ex.action(route.method());
        facts.request(route.method(), route.taskId(), null);
        if (method != HttpMethod.POST) {
            ex.request().resume();
            facts.record(ex);
            return Future.succeededFuture();
        }
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(b -> {
            body = b;
            ex.recordRequestPayload(b);
            if (A2aMethods.isSend(route.method())) {
                JsonNode message = RestRoute.parseBody(b).path("message");
                facts.request(route.method(), RpcRequest.text(message.get("taskId")), RpcRequest.text(message.get("contextId")));
            }
            facts.record(ex);
            return null;
        });
    }

    /** The {@code a2a.authorization} rules: the caller (source) and this agent (target). */
    @Override
    public Decision protocolDecision(Exchange ex) {
        Decision d = a2a.rules().decide(ex.principal(), agent.resource());
        ex.fact(Facts.A2a.RULE, d.policy());
        return d;
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        Promise<Void> done = Promise.promise();
        done.future().onComplete(ar -> facts.record(ex));
        // Untraced (no tracer configured), the call builds no headers map and no span.
        MultiMap trace = ex.traced() ? MultiMap.caseInsensitiveMultiMap() : null;
        ExchangeTracer.UpstreamSpan span = trace == null ? ExchangeTracer.UpstreamSpan.NONE
                : ex.traceUpstream(binding.operation(), agent.id(), trace);
        done.future().onComplete(ar -> span.end(upstreamStatus, ar.cause()));
        Duration timeout = binding.streaming() ? a2a.streamTimeout() : a2a.timeout();
        Deadlines deadlines = Deadlines.of(context.vertx());
        // One deadline for the whole call: the wait for the answer and every silence within it.
        deadline = deadlines.watch(timeout.toMillis(), () -> timedOut(timeout));
        done.future().onComplete(ar -> {
            deadline.cancel();
            cancelHeadTimer();
        });
        ex.response().closeHandler(v -> clientGone(done));
        if (binding.streaming()) {
            long keepAlive = a2a.keepAliveMillis(context.listener());
            stream = new TaskStream(ex, binding, agent, timeout, facts::response, done, deadlines, keepAlive);
            // An agent slow to start its answer must not get the caller's connection closed as idle.
            headTimer = deadlines.watch(keepAlive, () -> {
                if (!done.future().isComplete()) {
                    stream.open(null);
                }
            });
        }
        upstreamPath(ex)
                .compose(path -> agent.open(context.upstream(), a2a.gate(context.vertx(), agent),
                        A2aHeaders.toAgent(ex, agent.request(binding.method(), path), body != null).trace(trace), timeout))
                .compose(req -> {
                    if (deadline.expired()) {
                        // The time ran out while connecting.
                        req.reset();
                        return Future.failedFuture(new TimeoutException());
                    }
                    upstreamRequest = req;
                    return body != null ? req.send(body) : req.send();
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

    /**
     * Where the call goes on the agent's host: the configured URL's path for JSON-RPC; for
     * HTTP+JSON the caller's path (and query) below the path of the agent's HTTP+JSON interface of
     * the caller's version, from its card (cached, or fetched now).
     */
    private Future<String> upstreamPath(Exchange ex) {
        if (restPath == null) {
            return Future.succeededFuture(agent.rpcPath());
        }
        String query = ex.request().query();
        return new CardFetch(a2a, context, agent, version).card(ex).map(cached -> {
            String base = CardRewriter.restBase(cached.card(), version, agent.id());
            return base + restPath + (query == null ? "" : "?" + query);
        });
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
        ex.fact(Facts.A2a.UPSTREAM_STATUS, status);
        String type = upstream.getHeader("content-type");
        if (status / 100 == 2 && type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
            ex.fact(Facts.A2a.STREAM, true);
            if (stream == null) {
                stream = new TaskStream(ex, binding, agent, timeout, facts::response, done, Deadlines.of(context.vertx()),
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
                            ex.fact(Facts.A2a.STREAM, true);
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
     * Reads what the agent answered (not a stream); fails when it is no answer of the binding at
     * all (an HTML error page, a proxy's text), saying what came back.
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
        RpcResult result = binding.scan(answer);
        if (!result.json()) {
            throw agent.badAnswer("answered HTTP " + status + " with "
                    + (type == null ? "a body of no declared type" : "a " + type + " body") + ", not " + binding.answerKind());
        }
        return result;
    }

    private void send(Exchange ex, HttpClientResponse upstream, Buffer answer, Promise<Void> done) {
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        RpcResult result = check(upstream, answer);
        facts.response(result);
        Buffer out = answer;
        if (status / 100 == 2 && result.json() && !result.error() && A2aMethods.returnsCard(binding.operation())) {
            // The extended card must point at the gateway like the public one.
            out = binding.withCard(answer, card -> a2a.presentCard(card, ex.request(), context.listener(), agent));
        }
        HttpServerResponse response = ex.response();
        if (response.closed()) {
            done.tryFail(clientClosed());
            return;
        }
        response.setStatusCode(status);
        if (type != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, type);
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
        if (binding != null) {
            return binding.errors();
        }
        return restPath != null ? RestErrors.INSTANCE : new A2aErrors(id);
    }
}
