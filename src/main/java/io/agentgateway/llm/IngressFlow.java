package io.agentgateway.llm;

import io.agentgateway.core.Usage;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.Facts;
import io.agentgateway.server.GatewayError;
import io.agentgateway.upstream.JsonSplice;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.SseDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

import java.util.List;

/**
 * A governed model call in a client API other than chat completions ({@code POST /v1/responses},
 * {@code POST /v1/messages}): the same steps as chat — parse once, {@code model:} resource, route
 * with fallbacks, reserve the token estimate, relay streamed or whole, record the usage the
 * provider reported — with the wire formats left to the request's {@link Ingress}.
 * One instance per request.
 */
final class IngressFlow implements ExchangeFlow {
    private final LlmRuntime llm;
    private final ListenerContext context;
    private final Ingress ingress;
    private List<ModelRouter.Target> targets;
    private UpstreamCall call;
    private ChatStream relay;
    private Buffer local;

    IngressFlow(LlmRuntime llm, ListenerContext context, Ingress ingress) {
        this.llm = llm;
        this.context = context;
        this.ingress = ingress;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(body -> {
            ex.recordRequestPayload(body);
            ingress.parse(body, ex);
            String model = ingress.model();
            ex.requestModel(model);
            ex.resource(new Resource.Model(model));
            ex.fact(Facts.Llm.STREAM, ingress.stream());
            List<ModelRouter.Target> routed = llm.router().route(model);
            if (routed.isEmpty()) {
                throw ChatFlow.modelNotFound(model);
            }
            targets = ingress.eligible(routed);
            if (targets.isEmpty()) {
                local = ingress.localAnswer();
                if (local == null) {
                    throw ChatFlow.modelNotFound(model);
                }
                return null;
            }
            if (llm.estimateTokens() && ingress.generates()) {
                int max = ingress.maxTokens() > 0 ? ingress.maxTokens() : llm.defaultMaxTokens();
                ex.estimatedTokens(ingress.estimatePromptTokens() + max);
            }
            return null;
        });
    }

    @Override
    public boolean charged(Exchange exchange) {
        return local == null;
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        Promise<Void> done = Promise.promise();
        if (local != null) {
            ex.recordResponsePayload(local);
            ChatFlow.send(ex, 200, local, done);
            return done.future();
        }
        call = new UpstreamCall(ex, context, targets, ingress.stream(), ingress.operation(), ingress::outgoing);
        ex.response().closeHandler(v -> clientGone(ex, done));
        call.sendTo(done, answer -> relay(ex, answer, done));
        return done.future();
    }

    private void relay(Exchange ex, UpstreamCall.Answer answer, Promise<Void> done) {
        HttpClientResponse upstream = answer.response();
        Provider provider = answer.target().provider();
        Ingress.Reply reply = ingress.reply(answer.target(), ex);
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        ChatTranslator framing = reply.framing();
        String streamType = framing == null ? "text/event-stream" : framing.streamContentType();
        if (status / 100 == 2 && ingress.stream() && type != null && type.startsWith(streamType)) {
            relay = ChatStream.start(ex, framing == null ? SseDecoder::new : framing::streamDecoder, reply.stream(), upstream,
                    provider.name(), answer.deadline(), done);
            return;
        }
        answer.body(done, body -> {
            if (status / 100 != 2) {
                ex.attribute("upstream_status", status);
                ChatFlow.send(ex, status, reply.error(status, body), done);
                return;
            }
            TranslatedResponse translated;
            try {
                translated = reply.response(body);
            } catch (GatewayError e) {
                done.tryFail(e);
                return;
            }
            ex.usage(translated.usage());
            if (translated.responseModel() != null) {
                ex.fact(Facts.Llm.RESPONSE_MODEL, translated.responseModel());
            }
            ex.recordResponsePayload(translated.body());
            ChatFlow.send(ex, 200, translated.body(), done);
        });
    }

    private void clientGone(Exchange ex, Promise<Void> done) {
        if (done.future().isComplete()) {
            return;
        }
        if (relay != null) {
            relay.clientGone();
        } else if (call != null) {
            call.cancel();
            if (ex.usage() == null) {
                // The provider has the prompt and bills it even though nobody will read the answer.
                long prompt = ingress.estimatePromptTokens();
                ex.usage(new Usage(prompt, 0, prompt, 0, true));
            }
        }
        done.tryFail(ChatFlow.clientClosed());
    }

    /**
     * A request passed through in the client's own wire format: its bytes as they came, or, when
     * routing renamed the model, the same bytes with the upstream's model name spliced in (number
     * spellings, escapes, order and whitespace stay the client's).
     */
    static Buffer aliased(Buffer raw, String requested, String upstream) {
        return upstream.equals(requested) ? raw : JsonSplice.of(raw).put("model", JsonSplice.string(upstream)).apply();
    }

    @Override
    public ErrorRenderer errors() {
        return ingress.errors();
    }
}
