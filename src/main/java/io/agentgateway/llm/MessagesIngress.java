package io.agentgateway.llm;

import io.agentgateway.llm.anthropic.AnthropicErrorRenderer;
import io.agentgateway.llm.anthropic.AnthropicToAnthropic;
import io.agentgateway.llm.anthropic.AnthropicToOpenAi;
import io.agentgateway.llm.anthropic.MessagesRequest;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}: passed through to
 * Anthropic providers (bytes as they came, only {@code model} changed when an alias renames it),
 * translated to chat completions for the others ({@link AnthropicToOpenAi}, then the provider's
 * own chat translator). Token counting is forwarded to Anthropic; for a model no Anthropic
 * provider serves, the gateway answers it itself with its {@link TokenCounter} estimate, and the
 * call costs no budget. Errors are Anthropic-shaped. One per request.
 */
final class MessagesIngress implements Ingress {
    private final boolean countTokens;
    private MessagesRequest request;
    private ChatRequest chat;
    private GatewayError untranslatable;

    MessagesIngress(boolean countTokens) {
        this.countTokens = countTokens;
    }

    @Override
    public void parse(Buffer body, Exchange exchange) {
        request = MessagesRequest.parse(body, countTokens);
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
        return "chat";
    }

    @Override
    public boolean generates() {
        return !countTokens;
    }

    /** Whether the target serves Anthropic's Messages API itself (the request passes through). */
    private static boolean anthropic(ModelRouter.Target target) {
        return target.provider().supports(ProviderDialect.Api.MESSAGES);
    }

    @Override
    public List<ModelRouter.Target> eligible(List<ModelRouter.Target> routed) {
        if (countTokens) {
            List<ModelRouter.Target> upstream = routed.stream()
                    .filter(t -> t.provider().supports(ProviderDialect.Api.MESSAGES_COUNT_TOKENS)).toList();
            if (upstream.isEmpty() && chat() == null) {
                throw untranslatable;
            }
            return upstream;
        }
        if (routed.stream().noneMatch(MessagesIngress::anthropic) && chat() == null) {
            throw untranslatable;
        }
        return routed;
    }

    @Override
    public Buffer localAnswer() {
        return Json.write(Json.MAPPER.createObjectNode().put("input_tokens", chat.estimatePromptTokens()));
    }

    @Override
    public long estimatePromptTokens() {
        if (chat() != null) {
            return chat.estimatePromptTokens();
        }
        return 3 + TokenCounter.countRecent(request.json().get("messages").toString(), request.model())
                + TokenCounter.countRecent(request.json().path("system").toString(), request.model());
    }

    @Override
    public int maxTokens() {
        return request.maxTokens();
    }

    /** The chat-completions form of the request, built once; null when it cannot be translated (Anthropic may still take it). */
    private ChatRequest chat() {
        if (chat == null && untranslatable == null) {
            try {
                chat = ChatRequest.parse(Json.write(AnthropicToOpenAi.chatRequest(request)));
            } catch (GatewayError e) {
                untranslatable = e;
            }
        }
        return chat;
    }

    @Override
    public UpstreamCall.Outgoing outgoing(ModelRouter.Target target) {
        if (anthropic(target)) {
            ProviderDialect.Api api = countTokens ? ProviderDialect.Api.MESSAGES_COUNT_TOKENS : ProviderDialect.Api.MESSAGES;
            return UpstreamCall.Outgoing.passedThrough(target, api, request.raw(), request.model(), request.stream());
        }
        if (chat() == null) {
            throw untranslatable;
        }
        return UpstreamCall.Outgoing.chat(target, chat, request.stream());
    }

    @Override
    public Reply reply(ModelRouter.Target target, Exchange exchange) {
        if (anthropic(target)) {
            return new Reply() {
                @Override
                public TranslatedResponse response(Buffer upstreamBody) {
                    return countTokens ? AnthropicToAnthropic.countTokens(upstreamBody) : AnthropicToAnthropic.response(upstreamBody);
                }

                @Override
                public StreamTranslator stream() {
                    return AnthropicToAnthropic.stream(estimatePromptTokens());
                }

                @Override
                public Buffer error(int status, Buffer upstreamBody) {
                    return upstreamBody;
                }
            };
        }
        return new TranslatedReply(target) {

            @Override
            public TranslatedResponse response(Buffer upstreamBody) {
                TranslatedResponse completion = chatTranslator.response(chat, upstreamBody);
                return new TranslatedResponse(AnthropicToOpenAi.response(completion.body(), completion.usage()),
                        completion.usage(), completion.responseModel());
            }

            @Override
            public StreamTranslator stream() {
                return new ChatChunkBridge(chatTranslator.stream(chat), AnthropicToOpenAi.stream(request, chat.estimatePromptTokens()));
            }

            @Override
            public Buffer error(int status, Buffer upstreamBody) {
                return AnthropicToOpenAi.error(status, chatTranslator.error(status, upstreamBody));
            }
        };
    }

    @Override
    public ErrorRenderer errors() {
        return AnthropicErrorRenderer.INSTANCE;
    }
}
