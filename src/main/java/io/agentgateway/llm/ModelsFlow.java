package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonGenerator;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.policy.RequestFacts;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.ListenerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} (only the models the caller may use) and {@code GET /v1/models/ID}.
 * Answered by the gateway: the model names its config spells out, and for a provider whose
 * {@code models} are globs ({@code ["*"]}) the models its own list names ({@link ProviderModels},
 * cached), each shown only when the caller's policies allow it.
 */
final class ModelsFlow implements ExchangeFlow {
    private final LlmRuntime llm;
    private final PolicyEngine policies;
    private final ListenerContext context;
    private final String single;

    /** @param single the model id of {@code /v1/models/ID}, or null for the list */
    ModelsFlow(LlmRuntime llm, PolicyEngine policies, ListenerContext context, String single) {
        this.llm = llm;
        this.policies = policies;
        this.context = context;
        this.single = single;
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> forward(Exchange ex) {
        if (single != null) {
            return answer(ex, llm.listable());
        }
        List<Future<List<ModelRouter.Listed>>> lists = new ArrayList<>();
        for (Provider p : llm.providers().values()) {
            if (ProviderModels.listsUpstream(p)) {
                lists.add(llm.upstreamModels().models(p, context.vertx(), context.upstream())
                        .map(ids -> ids.stream().map(id -> new ModelRouter.Listed(id, p.name())).toList()));
            }
        }
        if (lists.isEmpty()) {
            return answer(ex, llm.listable());
        }
        return Future.join(lists).transform(ar -> {
            Map<String, ModelRouter.Listed> all = new LinkedHashMap<>();
            llm.listable().forEach(m -> all.put(m.id(), m));
            for (Future<List<ModelRouter.Listed>> f : lists) {
                if (f.succeeded()) {
                    // a model routed elsewhere (an alias, an earlier provider's glob) is not this provider's to list
                    f.result().stream().filter(m -> routedTo(m)).forEach(m -> all.putIfAbsent(m.id(), m));
                }
            }
            return answer(ex, List.copyOf(all.values()));
        });
    }

    private boolean routedTo(ModelRouter.Listed m) {
        List<ModelRouter.Target> targets = llm.router().route(m.id());
        return !targets.isEmpty() && targets.get(0).provider().name().equals(m.ownedBy());
    }

    private Future<Void> answer(Exchange ex, List<ModelRouter.Listed> listable) {
        RequestFacts facts = new RequestFacts(ex.request().method().name(), ex.request().path(), ex.request().headers());
        List<ModelRouter.Listed> visible = new ArrayList<>();
        for (ModelRouter.Listed m : listable) {
            if ((single == null || single.equals(m.id()))
                    && policies.decide(ex.principal(), new Resource.Model(m.id()), facts).allowed()) {
                visible.add(m);
            }
        }
        if (single != null && visible.isEmpty()) {
            boolean routable = !llm.router().route(single).isEmpty()
                    && policies.decide(ex.principal(), new Resource.Model(single), facts).allowed();
            if (!routable) {
                return Future.failedFuture(new GatewayError(ErrorKind.NOT_FOUND, 404, "model_not_found",
                        "The model `" + single + "` does not exist or you do not have access to it", "model", null));
            }
            visible.add(new ModelRouter.Listed(single, llm.router().route(single).get(0).provider().name()));
        }
        Promise<Void> done = Promise.promise();
        ChatFlow.send(ex, 200, render(visible), done);
        return done.future();
    }

    private Buffer render(List<ModelRouter.Listed> models) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 96 * models.size());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
            if (single == null) {
                g.writeStartObject();
                g.writeStringField("object", "list");
                g.writeArrayFieldStart("data");
            }
            for (ModelRouter.Listed m : models) {
                g.writeStartObject();
                g.writeStringField("id", m.id());
                g.writeStringField("object", "model");
                g.writeNumberField("created", llm.createdEpochSecond());
                g.writeStringField("owned_by", m.ownedBy());
                g.writeEndObject();
            }
            if (single == null) {
                g.writeEndArray();
                g.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(bytes.toByteArray());
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
