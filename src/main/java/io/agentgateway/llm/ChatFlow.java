package io.agentgateway.llm;


import io.agentgateway.core.Usage;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * {@code POST /v1/chat/completions}: parse once, route (with fallbacks), translate, and relay the
 * answer, streamed event by event or whole. One instance per request.
 */
final class ChatFlow implements ExchangeFlow {
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private final LlmRuntime llm;
    private final ListenerContext context;
    private ChatRequest chat;
    private List<ModelRouter.Target> targets;
    private UpstreamCall call;
    private ChatStream relay;

    ChatFlow(LlmRuntime llm, ListenerContext context) {
        this.llm = llm;
        this.context = context;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(body -> {
            chat = ChatRequest.parse(body);
            ex.recordRequestPayload(body);
            ex.requestModel(chat.model());
            ex.resource(new Resource.Model(chat.model()));
            ex.fact(Facts.Llm.STREAM, chat.stream());
            targets = llm.router().route(chat.model());
            if (targets.isEmpty()) {
                throw modelNotFound(chat.model());
            }
            ex.pricedModel(targets.get(0).model());
            if (llm.estimateTokens()) {
                int max = chat.maxTokens() > 0 ? chat.maxTokens() : llm.defaultMaxTokens();
                ex.estimatedTokens(chat.estimatePromptTokens(), max);
            }
            return null;
        });
    }

    static GatewayError modelNotFound(String model) {
        return new GatewayError(ErrorKind.NOT_FOUND, 404, "model_not_found",
                "The model `" + model + "` does not exist or is not served by this gateway", "model", null);
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        Promise<Void> done = Promise.promise();
        call = new UpstreamCall(ex, context, targets, chat.stream(), "chat", target -> UpstreamCall.Outgoing.chat(target, chat, chat.stream()));
        ex.response().closeHandler(v -> clientGone(ex, done));
        call.sendTo(done, answer -> relay(ex, answer, done));
        return done.future();
    }

    private void relay(Exchange ex, UpstreamCall.Answer answer, Promise<Void> done) {
        HttpClientResponse upstream = answer.response();
        Provider provider = answer.target().provider();
        ChatTranslator translator = provider.translator(answer.target().model());
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        if (status / 100 == 2 && chat.stream() && type != null && type.startsWith(translator.streamContentType())) {
            relay = ChatStream.start(ex, translator::streamDecoder, translator.stream(chat), upstream, provider.name(), answer.deadline(), done);
            return;
        }
        answer.body(done, body -> {
            Buffer answerBody;
            int clientStatus = status;
            if (status / 100 == 2) {
                TranslatedResponse translated;
                try {
                    translated = translator.response(chat, body);
                } catch (GatewayError e) {
                    done.tryFail(e);
                    return;
                }
                ex.usage(translated.usage());
                if (translated.responseModel() != null) {
                    ex.fact(Facts.Llm.RESPONSE_MODEL, translated.responseModel());
                }
                answerBody = translated.body();
                ex.recordResponsePayload(answerBody);
                clientStatus = 200;
            } else {
                answerBody = translator.error(status, body);
                ex.attribute("upstream_status", status);
            }
            send(ex, clientStatus, answerBody, done);
        });
    }

    static void send(Exchange ex, int status, Buffer body, Promise<Void> done) {
        HttpServerResponse response = ex.response();
        if (response.closed()) {
            done.tryFail(clientClosed());
            return;
        }
        ex.markFirstByte();
        ex.status(status);
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        done.tryComplete();
                    } else {
                        done.tryFail(clientClosed());
                    }
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
                long prompt = chat.estimatePromptTokens();
                ex.usage(new Usage(prompt, 0, prompt, 0, true));
            }
        }
        done.tryFail(clientClosed());
    }

    static GatewayError clientClosed() {
        return new GatewayError(ErrorKind.CLIENT_CLOSED, 499, "client_closed", "the client closed the connection", null, null);
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
