package io.agentgateway.llm;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.JsonSplice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/** {@code POST /v1/embeddings}: routed like chat, to providers that speak OpenAI's embeddings API. */
final class EmbeddingsFlow implements ExchangeFlow {
    private final LlmRuntime llm;
    private final ListenerContext context;
    private Buffer raw;
    private ObjectNode json;
    private String model;
    private List<ModelRouter.Target> targets;
    private UpstreamCall call;

    EmbeddingsFlow(LlmRuntime llm, ListenerContext context) {
        this.llm = llm;
        this.context = context;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).map(body -> {
            raw = body;
            ex.recordRequestPayload(body);
            json = Json.parseObject(body);
            model = ChatRequest.requireModel(json);
            JsonNode input = json.get("input");
            if (input == null || input.isNull()) {
                throw GatewayError.invalid("missing required parameter: 'input'", "input");
            }
            if (!input.isTextual() && !input.isArray()) {
                throw GatewayError.invalid("'input' must be a string or an array, not " + Json.kind(input), "input");
            }
            ex.requestModel(model);
            ex.resource(new Resource.Model(model));
            List<ModelRouter.Target> routed = llm.router().route(model);
            if (routed.isEmpty()) {
                throw ChatFlow.modelNotFound(model);
            }
            targets = routed.stream().filter(t -> t.provider().supports(ProviderDialect.Api.EMBEDDINGS)).toList();
            if (targets.isEmpty()) {
                throw GatewayError.invalid("model `" + model + "` is served by provider " + routed.get(0).provider().name()
                        + ", which has no embeddings API", "model");
            }
            ex.pricedModel(targets.get(0).model());
            if (llm.estimateTokens()) {
                ex.estimatedTokens(TokenCounter.count(input.isTextual() ? input.asText() : input.toString(), model));
            }
            return null;
        });
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        Promise<Void> done = Promise.promise();
        call = new UpstreamCall(ex, context, targets, false, "embeddings", target -> new UpstreamCall.Outgoing(
                target.provider().path(ProviderDialect.Api.EMBEDDINGS, target.model(), false), body(target.model()), "application/json"));
        ex.response().closeHandler(v -> {
            call.cancel();
            done.tryFail(ChatFlow.clientClosed());
        });
        call.sendTo(done, answer -> {
            int status = answer.response().statusCode();
            answer.body(done, body -> {
                if (status / 100 != 2) {
                    ex.attribute("upstream_status", status);
                    ChatFlow.send(ex, status, OpenAiToOpenAi.errorBody(status, body), done);
                    return;
                }
                TranslatedResponse translated;
                try {
                    translated = OpenAiToOpenAi.passThrough(body);
                } catch (GatewayError e) {
                    done.tryFail(e);
                    return;
                }
                ex.usage(translated.usage());
                ChatFlow.send(ex, 200, translated.body(), done);
            });
        });
        return done.future();
    }

    private Buffer body(String upstreamModel) {
        if (upstreamModel.equals(model)) {
            return raw;
        }
        return JsonSplice.of(raw).put("model", JsonSplice.string(upstreamModel)).apply();
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
