package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.upstream.JsonSplice;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * OpenAI's legacy {@code POST /v1/completions} ({@code prompt} in, {@code choices[].text} out),
 * passed through to providers that serve OpenAI's API ({@link ProviderDialect#servesOpenAiSurface()}):
 * the client's bytes but the model an alias maps to and, on a stream, {@code
 * stream_options.include_usage} (both spliced), so usage is always reported; the extra usage chunk
 * that causes is not passed on. One per request, confined to its event loop.
 */
final class CompletionsIngress implements Ingress {
    private Buffer raw;
    private ObjectNode json;
    private String model;
    private boolean stream;
    private boolean clientWantsUsage;

    @Override
    public void parse(Buffer body, Exchange exchange) {
        raw = body;
        json = Json.parseObject(body);
        model = ChatRequest.requireModel(json);
        JsonNode prompt = json.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'prompt'", "prompt");
        }
        JsonNode s = json.get("stream");
        if (s != null && !s.isNull() && !s.isBoolean()) {
            throw GatewayError.invalid("'stream' must be a boolean, not " + Json.kind(s), "stream");
        }
        stream = s != null && s.asBoolean();
        clientWantsUsage = json.path("stream_options").path("include_usage").asBoolean(false);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public boolean stream() {
        return stream;
    }

    @Override
    public String operation() {
        return "text_completion";
    }

    @Override
    public List<ModelRouter.Target> eligible(List<ModelRouter.Target> routed) {
        List<ModelRouter.Target> serving = routed.stream().filter(t -> t.provider().dialect().servesOpenAiSurface()).toList();
        if (serving.isEmpty()) {
            throw OpenAiSurface.notServed(model, routed.get(0).provider(), "/v1/completions");
        }
        return serving;
    }

    @Override
    public long estimatePromptTokens() {
        JsonNode prompt = json.get("prompt");
        return TokenCounter.count(prompt.isTextual() ? prompt.asText() : prompt.toString(), model);
    }

    @Override
    public int maxTokens() {
        JsonNode n = json.get("max_tokens");
        return n != null && n.canConvertToInt() && n.asInt() > 0 ? n.asInt() : -1;
    }

    @Override
    public UpstreamCall.Outgoing outgoing(ModelRouter.Target target) {
        JsonSplice splice = JsonSplice.of(raw);
        if (!target.model().equals(model)) {
            splice.put("model", JsonSplice.string(target.model()));
        }
        if (stream && !clientWantsUsage) {
            splice.putIn("stream_options", "include_usage", "true");
        }
        return new UpstreamCall.Outgoing(target.provider().openAiPath("/completions"), splice.apply());
    }

    @Override
    public Reply reply(ModelRouter.Target target, Exchange exchange) {
        return new Reply() {
            @Override
            public TranslatedResponse response(Buffer upstreamBody) {
                return OpenAiToOpenAi.passThrough(upstreamBody);
            }

            @Override
            public StreamTranslator stream() {
                return OpenAiToOpenAi.passThroughStream(CompletionsIngress.this::estimatePromptTokens, !clientWantsUsage);
            }

            @Override
            public Buffer error(int status, Buffer upstreamBody) {
                return OpenAiToOpenAi.errorBody(status, upstreamBody);
            }
        };
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
