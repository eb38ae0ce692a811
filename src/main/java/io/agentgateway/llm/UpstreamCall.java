package io.agentgateway.llm;

import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.UpstreamFailures;

import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeTracer;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sends a request to the first of its targets and falls back to the next on a connect error,
 * a timeout, a 429 or a 5xx, as long as nothing has reached the client
 * ({@code llm.models[].fallbacks}). Completes with the answering target and its response head, body unread.
 * {@link #cancel()} resets whatever request is in flight (the client went away).
 *
 * <p>One per request, confined to its event loop.
 */
final class UpstreamCall {
    private static final Logger log = LoggerFactory.getLogger(UpstreamCall.class);

    /** What to send a target: the path on its provider, the body in its wire format (null for none), the content type to accept (null: JSON, or an event stream when streaming), the method and the body's type. */
    record Outgoing(String path, Buffer body, String accept, HttpMethod method, String contentType) {
        /** A JSON POST accepting {@code accept}. */
        Outgoing(String path, Buffer body, String accept) {
            this(path, body, accept, HttpMethod.POST, "application/json");
        }

        /** A JSON POST; the answer accepted as JSON, or as an event stream when the call streams. */
        Outgoing(String path, Buffer body) {
            this(path, body, null, HttpMethod.POST, "application/json");
        }

        /** The client's own body, {@code model} renamed when the target's differs, to a provider that serves {@code api} itself. */
        static Outgoing passedThrough(ModelRouter.Target target, ProviderDialect.Api api, Buffer raw, String model, boolean stream) {
            return new Outgoing(target.provider().path(api, target.model(), stream), IngressFlow.aliased(raw, model, target.model()),
                    stream ? "text/event-stream" : "application/json");
        }

        /** {@code chat} in the wire format of the target's chat translator, to its chat completions path. */
        static Outgoing chat(ModelRouter.Target target, ChatRequest chat, boolean stream) {
            ChatTranslator translator = target.provider().translator(target.model());
            return new Outgoing(target.provider().path(ProviderDialect.Api.CHAT, target.model(), stream),
                    translator.requestBody(chat, target.model()), stream ? translator.streamContentType() : "application/json");
        }
    }

    /**
     * The target that answered, its response (body not yet read), the client span to end when the
     * answer is relayed, and the idle deadline still watching the response: touch it as data
     * arrives, cancel it when the answer is done.
     */
    record Answer(ModelRouter.Target target, HttpClientResponse response, ExchangeTracer.UpstreamSpan span,
                  Deadlines.Deadline deadline) {
        /**
         * Reads the whole body and hands it to {@code handler}, unless {@code done} ended meanwhile
         * (the client went away). A body that could not be read fails {@code done} with the
         * provider's failure: a timeout when its idle deadline expired.
         */
        void body(Promise<Void> done, Consumer<Buffer> handler) {
            Future<Buffer> whole = response.body();
            response.resume();
            whole.onComplete(body -> {
                if (done.future().isComplete()) {
                    return;
                }
                if (body.failed()) {
                    done.tryFail(target.provider().failure(deadline.expired()
                            ? new TimeoutException("no data for the provider's timeout") : body.cause()));
                    return;
                }
                handler.accept(body.result());
            });
        }
    }

    private final Exchange exchange;
    private final HttpClient client;
    private final Deadlines deadlines;
    private final io.vertx.core.Vertx vertx;
    private final List<ModelRouter.Target> targets;
    private final boolean stream;
    private final String operation;
    private final Function<ModelRouter.Target, Outgoing> outgoing;
    private Promise<Void> done;
    private Consumer<Answer> relay;
    private HttpClientRequest current;
    private boolean cancelled;
    private Deadlines.Deadline deadline;
    private TimeoutException idle;

    /** @param operation the GenAI operation ({@code chat}, {@code embeddings}), for span names */
    UpstreamCall(Exchange exchange, ListenerContext context, List<ModelRouter.Target> targets, boolean stream, String operation,
                 Function<ModelRouter.Target, Outgoing> outgoing) {
        this.exchange = exchange;
        this.client = context.upstream();
        this.deadlines = Deadlines.of(context.vertx());
        this.vertx = context.vertx();
        this.targets = targets;
        this.stream = stream;
        this.operation = operation;
        this.outgoing = outgoing;
    }

    /**
     * Sends the call and hands its answer to {@code relay}, unless {@code done} ended first (the
     * client went away). The answer's idle deadline is cancelled and its span ended once
     * {@code done} completes, however it does; a call no target answered fails {@code done}.
     */
    void sendTo(Promise<Void> done, Consumer<Answer> relay) {
        this.done = done;
        this.relay = relay;
        attempt(0);
    }

    /** The call failed for good: no target is left to try. */
    private void fail(Throwable cause) {
        done.tryFail(cause);
    }

    private void answered(Answer answer) {
        if (done.future().isComplete()) {
            return;
        }
        done.future().onComplete(end -> {
            answer.deadline().cancel();
            answer.span().end(answer.response().statusCode(), end.cause());
        });
        relay.accept(answer);
    }

    void cancel() {
        cancelled = true;
        if (deadline != null) {
            deadline.cancel();
        }
        if (current != null) {
            current.reset();
        }
    }

    /** The provider stayed quiet for its timeout: fail the call (or, mid-answer, its response) with a timeout. */
    private void onIdle(Provider provider) {
        idle = new TimeoutException("provider " + provider.name() + " sent nothing for " + provider.config().timeout().toMillis() + "ms");
        if (current != null) {
            current.reset(0, idle);
        }
    }

    private void attempt(int i) {
        ModelRouter.Target target = targets.get(i);
        Provider provider = target.provider();
        exchange.upstream(provider.name(), target.model());
        exchange.attribute("gen_ai.provider.name", provider.semanticName());
        Outgoing out;
        try {
            out = outgoing.apply(target);
        } catch (GatewayError e) {
            fail(e);
            return;
        }
        // Untraced (no tracer configured), the call builds no headers map and no span name.
        MultiMap trace = exchange.traced() ? MultiMap.caseInsensitiveMultiMap() : null;
        ExchangeTracer.UpstreamSpan span = trace == null ? ExchangeTracer.UpstreamSpan.NONE
                : exchange.traceUpstream(operation + " " + target.model(), provider.name(), trace);
        current = null;
        idle = null;
        // The provider's timeout starts once the call has its connection place, not while it waits for one.
        provider.gate(vertx).acquire().onComplete(admitted -> {
            if (admitted.failed()) {
                span.end(0, admitted.cause());
                GatewayError busy = admitted.cause() instanceof GatewayError g ? g : provider.failure(admitted.cause());
                if (cancelled) {
                    return;
                }
                if (i + 1 < targets.size()) {
                    next(i, busy.getMessage());
                } else {
                    fail(busy);
                }
                return;
            }
            ConnectionGate.Permit permit = admitted.result();
            if (cancelled) {
                permit.release();
                span.end(0, null);
                return;
            }
            if (permit.waitedNanos() > 0) {
                span.waited(permit.waitedNanos());
            }
            send(i, target, out, trace, span, permit);
        });
    }

    private void send(int i, ModelRouter.Target target, Outgoing out, MultiMap trace, ExchangeTracer.UpstreamSpan span,
                      ConnectionGate.Permit permit) {
        Provider provider = target.provider();
        Deadlines.Deadline watch = deadlines.watch(provider.config().timeout().toMillis(), () -> onIdle(provider));
        deadline = watch;
        provider.open(client, permit, exchange.request(), out.method(), out.path(), out.contentType(),
                        out.accept() != null ? out.accept() : stream ? "text/event-stream" : "application/json", out.body(), exchange.id(), trace)
                .onComplete(opened -> {
                    if (opened.failed()) {
                        sent(i, target, span, watch, opened.cause(), null);
                        return;
                    }
                    HttpClientRequest req = opened.result();
                    if (idle != null) {
                        // The deadline passed while connecting.
                        req.reset();
                        sent(i, target, span, watch, idle, null);
                        return;
                    }
                    current = req;
                    (out.body() == null ? req.send() : req.send(out.body()))
                            .onComplete(ar -> sent(i, target, span, watch, ar.cause(), ar.result()));
                });
    }

    /** The outcome of attempt {@code i}: its response head, or {@code failure} (then {@code response} is null). */
    private void sent(int i, ModelRouter.Target target, ExchangeTracer.UpstreamSpan span, Deadlines.Deadline watch,
                      Throwable failure, HttpClientResponse response) {
        Provider provider = target.provider();
        if (response == null || cancelled) {
            watch.cancel();
        }
        if (cancelled) {
            span.end(response != null ? response.statusCode() : 0, failure);
            if (response != null) {
                response.request().reset();
            }
            return;
        }
        boolean more = i + 1 < targets.size();
        if (response == null) {
            Throwable cause = watch.expired() ? idle : failure;
            span.end(0, cause);
            GatewayError error = provider.failure(cause);
            if (more) {
                next(i, error.getMessage());
            } else {
                fail(error);
            }
            return;
        }
        if (more && UpstreamFailures.retryable(response.statusCode())) {
            watch.cancel();
            span.end(response.statusCode(), null);
            // Read and drop the refusal so the connection returns to the pool.
            response.body();
            next(i, "provider " + provider.name() + " answered HTTP " + response.statusCode());
            return;
        }
        response.pause();
        watch.touch();
        answered(new Answer(target, response, span, watch));
    }

    private void next(int failed, String why) {
        ModelRouter.Target next = targets.get(failed + 1);
        log.info("request {}: {}; falling back to {} model {}", exchange.id(), why, next.provider().name(), next.model());
        exchange.attribute("fallbacks", failed + 1);
        attempt(failed + 1);
    }
}
