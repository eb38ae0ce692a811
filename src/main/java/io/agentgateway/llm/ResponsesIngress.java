package io.agentgateway.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agentgateway.identity.Principal;
import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.llm.responses.ResponseStore;
import io.agentgateway.llm.responses.ResponsesRequest;
import io.agentgateway.llm.responses.ResponsesToChat;
import io.agentgateway.llm.responses.ResponsesToResponses;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * {@code POST /v1/responses}: passed through to providers that serve the Responses API
 * ({@link ProviderDialect.Api#RESPONSES}), translated to chat completions for the others
 * ({@link ResponsesToChat}, then the provider's own chat translator). For translated answers the
 * gateway keeps the conversation ({@link ResponseStore}) so {@code previous_response_id} works
 * there too; an id the store does not hold leaves only the pass-through targets, or is a 400.
 * One per request.
 */
final class ResponsesIngress implements Ingress {
    private final ResponseStore store;
    private final ResponsesToChat translator;
    private ResponsesRequest request;
    private String namespace;
    private ArrayNode history;
    private ResponsesToChat.Conversation conversation;
    private ChatRequest chat;
    private GatewayError untranslatable;
    private boolean translates;

    ResponsesIngress(ResponseStore store, ResponsesToChat translator) {
        this.store = store;
        this.translator = translator;
    }

    @Override
    public void parse(Buffer body, Exchange exchange) {
        request = ResponsesRequest.parse(body);
        Principal principal = exchange.principal();
        namespace = principal == null ? null : principal.namespace();
    }

    @Override
    public String model() {
        return request.model();
    }

    @Override
    public boolean stream() {
        return request.stream();
    }

    @Override
    public String operation() {
        return "responses";
    }

    @Override
    public List<ModelRouter.Target> eligible(List<ModelRouter.Target> routed) {
        String previous = request.previousResponseId();
        translates = routed.stream().anyMatch(t -> !t.provider().supports(ProviderDialect.Api.RESPONSES));
        if (!translates) {
            return routed;
        }
        if (previous != null) {
            history = store.get(namespace, previous);
        }
        if (previous == null || history != null) {
            if (chat() == null && routed.stream().allMatch(t -> !t.provider().supports(ProviderDialect.Api.RESPONSES))) {
                throw untranslatable;
            }
            return routed;
        }
        List<ModelRouter.Target> native_ = routed.stream().filter(t -> t.provider().supports(ProviderDialect.Api.RESPONSES)).toList();
        if (native_.isEmpty()) {
            throw GatewayError.invalid("Previous response with id '" + previous + "' not found: the gateway keeps the"
                    + " conversations of model `" + request.model() + "` (provider " + routed.get(0).provider().name()
                    + " has no Responses API of its own) for a bounded number of recent responses per namespace", "previous_response_id");
        }
        return native_;
    }

    @Override
    public long estimatePromptTokens() {
        if (translates && chat() != null) {
            return chat.estimatePromptTokens();
        }
        return 3 + TokenCounter.countRecent(request.json().get("input").toString(), request.model())
                + TokenCounter.countRecent(request.json().path("instructions").asText(""), request.model());
    }

    @Override
    public int maxTokens() {
        return request.maxOutputTokens();
    }

    /** The chat-completions form of the request, built once; null when it cannot be translated (a pass-through may still take it). */
    private ChatRequest chat() {
        if (chat == null && untranslatable == null) {
            try {
                conversation = translator.chatRequest(request, history);
                chat = ChatRequest.parse(Json.write(conversation.chat()));
            } catch (GatewayError e) {
                untranslatable = e;
            }
        }
        return chat;
    }

    @Override
    public UpstreamCall.Outgoing outgoing(ModelRouter.Target target) {
        if (target.provider().supports(ProviderDialect.Api.RESPONSES)) {
            return UpstreamCall.Outgoing.passedThrough(target, ProviderDialect.Api.RESPONSES, request.raw(), request.model(), request.stream());
        }
        if (chat() == null) {
            throw untranslatable;
        }
        return UpstreamCall.Outgoing.chat(target, chat, request.stream());
    }

    @Override
    public Reply reply(ModelRouter.Target target, Exchange exchange) {
        Provider provider = target.provider();
        if (provider.supports(ProviderDialect.Api.RESPONSES)) {
            return new Reply() {
                @Override
                public TranslatedResponse response(Buffer upstreamBody) {
                    return ResponsesToResponses.response(upstreamBody);
                }

                @Override
                public StreamTranslator stream() {
                    return ResponsesToResponses.stream(estimatePromptTokens());
                }

                @Override
                public Buffer error(int status, Buffer upstreamBody) {
                    return OpenAiToOpenAi.errorBody(status, upstreamBody);
                }
            };
        }
        return new TranslatedReply(target) {

            @Override
            public TranslatedResponse response(Buffer upstreamBody) {
                TranslatedResponse completion = chatTranslator.response(chat, upstreamBody);
                ResponsesToChat.Answer answer = translator.response(request, completion.body(), completion.usage());
                keep(answer);
                return new TranslatedResponse(answer.body(), completion.usage(), completion.responseModel());
            }

            @Override
            public StreamTranslator stream() {
                return new ChatChunkBridge(chatTranslator.stream(chat), translator.stream(request, answer -> keep(answer)));
            }

            @Override
            public Buffer error(int status, Buffer upstreamBody) {
                return chatTranslator.error(status, upstreamBody);
            }
        };
    }

    private void keep(ResponsesToChat.Answer answer) {
        if (!request.store()) {
            return;
        }
        ArrayNode kept = conversation.messages().deepCopy();
        kept.add(answer.assistant());
        store.put(namespace, answer.id(), kept);
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
