package io.agentgateway.llm;

import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One client-facing API of the LLM listener other than chat completions (OpenAI's Responses,
 * Anthropic's Messages), as {@link IngressFlow} drives it: the request parsed, what each routed
 * target is sent, and how the answering target's reply reaches the client. Whether a target gets
 * the client's own wire format (passed through) or chat completions (translated) is the
 * ingress's decision per target, so a fallback chain may mix both.
 *
 * <p>One per request, confined to its event loop.
 */
interface Ingress {
    /**
     * Parses the request body and records the request's facts (model, stream) on the exchange.
     *
     * @throws io.agentgateway.server.GatewayError 400 naming the parameter for bad input
     */
    void parse(Buffer body, Exchange exchange);

    String model();

    boolean stream();

    /** The GenAI operation name for the upstream span ({@code chat}, {@code responses}). */
    String operation();

    /** The prompt as the gateway counts it, for the budget reservation and for usage when a provider reports none. */
    long estimatePromptTokens();

    /** The completion cap the client set, or -1. */
    int maxTokens();

    /** The routed targets this request may go to (all of them unless the API excludes some); may throw a 400. */
    default List<ModelRouter.Target> eligible(List<ModelRouter.Target> routed) {
        return routed;
    }

    /** Whether the call generates tokens, so a token budget reserves the prompt estimate and the output cap (false: token counting). */
    default boolean generates() {
        return true;
    }

    /**
     * The gateway's own answer (a 200 JSON body) when {@link #eligible} left no target to ask;
     * such a call is not charged to any budget. Null when there is none ({@link #eligible} then
     * refuses instead of returning nothing).
     */
    default Buffer localAnswer() {
        return null;
    }

    /** The path and body for one target, in the wire format that target is sent. */
    UpstreamCall.Outgoing outgoing(ModelRouter.Target target);

    /** How the answer of {@code target} (the one that answered) reaches the client. */
    Reply reply(ModelRouter.Target target, Exchange exchange);

    ErrorRenderer errors();

    /** The answering target's reply in the client's wire format. */
    interface Reply {
        /** A complete 2xx answer, with its usage. */
        TranslatedResponse response(Buffer upstreamBody);

        /** Per-stream state for a streamed 2xx answer. */
        StreamTranslator stream();

        /** An upstream error body in the client's error shape (the status is kept). */
        Buffer error(int status, Buffer upstreamBody);

        /**
         * The chat translator whose framing the upstream's stream has ({@link ChatTranslator#streamContentType},
         * {@link ChatTranslator#streamDecoder}), or null for server-sent events (an API passed through).
         */
        default ChatTranslator framing() {
            return null;
        }
    }

    /**
     * A reply made from the chat-completions answer of the target's own chat translator
     * ({@link #chatTranslator}), whose framing the upstream's stream then has.
     */
    abstract class TranslatedReply implements Reply {
        protected final ChatTranslator chatTranslator;

        protected TranslatedReply(ModelRouter.Target target) {
            this.chatTranslator = target.provider().translator(target.model());
        }

        @Override
        public final ChatTranslator framing() {
            return chatTranslator;
        }
    }
}
