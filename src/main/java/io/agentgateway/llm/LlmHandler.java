package io.agentgateway.llm;

import io.agentgateway.llm.anthropic.AnthropicErrorRenderer;
import io.agentgateway.llm.responses.ResponseStore;
import io.agentgateway.llm.responses.ResponsesToChat;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.Protocol;
import io.agentgateway.server.ProtocolHandler;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The LLM listener: OpenAI's API surface on the governance chain. Kagent's clients
 * call both {@code /v1/...} and bare paths, so both are served. Every request, even one for an
 * unknown path, is an exchange: counted, traced and audited.
 *
 * <p>Immutable and thread-safe; one per compiled runtime.
 */
public final class LlmHandler implements ProtocolHandler {
    private final GovernanceChain chain;
    private final LlmRuntime llm;

    public LlmHandler(GovernanceChain chain, LlmRuntime llm) {
        this.chain = chain;
        this.llm = llm;
    }

    @Override
    public void handle(HttpServerRequest request, ListenerContext context) {
        String path = request.path();
        if (path.startsWith("/v1/")) {
            path = path.substring(3);
        }
        boolean anthropic = path.equals("/messages") || path.startsWith("/messages/");
        if (anthropic) {
            apiKeyAsBearer(request);
        }
        ErrorRenderer errors = anthropic ? AnthropicErrorRenderer.INSTANCE : OpenAiErrors.INSTANCE;
        Exchange ex = chain.start(request, context.listener(), Protocol.LLM);
        ExchangeFlow flow;
        switch (path) {
            case "/messages", "/messages/count_tokens" -> {
                boolean count = path.length() > 9;
                ex.action(count ? "messages.count_tokens" : "messages");
                flow = request.method() == HttpMethod.POST ? new IngressFlow(llm, context, new MessagesIngress(count))
                        : refuse(methodNotAllowed(request, "POST"), errors);
            }
            case "/completions" -> {
                ex.action("completions");
                flow = request.method() == HttpMethod.POST ? new IngressFlow(llm, context, new CompletionsIngress())
                        : refuse(methodNotAllowed(request, "POST"));
            }
            case "/chat/completions" -> {
                ex.action("chat.completions");
                flow = request.method() == HttpMethod.POST ? new ChatFlow(llm, context) : refuse(methodNotAllowed(request, "POST"));
            }
            case "/embeddings" -> {
                ex.action("embeddings");
                flow = request.method() == HttpMethod.POST ? new EmbeddingsFlow(llm, context) : refuse(methodNotAllowed(request, "POST"));
            }
            case "/responses" -> {
                ex.action("responses");
                flow = request.method() == HttpMethod.POST
                        ? new IngressFlow(llm, context, new ResponsesIngress(ResponseStore.of(context.vertx()), ResponsesToChat.INSTANCE))
                        : refuse(methodNotAllowed(request, "POST"));
            }
            case "/models" -> {
                ex.action("models.list");
                flow = request.method() == HttpMethod.GET ? new ModelsFlow(llm, chain.policies(), context, null) : refuse(methodNotAllowed(request, "GET"));
            }
            default -> {
                OpenAiSurface surface = OpenAiSurface.match(llm, context, request, path);
                if (path.startsWith("/models/") && path.length() > 8 && request.method() == HttpMethod.GET) {
                    ex.action("models.retrieve");
                    flow = new ModelsFlow(llm, chain.policies(), context, path.substring(8));
                } else if (surface != null) {
                    ex.action(surface.action());
                    flow = surface;
                } else {
                    ex.action("unknown");
                    flow = refuse(new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_url",
                            "Unknown request URL: " + request.method() + " " + request.path(), null, null), errors);
                }
            }
        }
        if ((llm.estimateTokens() || path.equals("/messages/count_tokens")) && !TokenCounter.isLoaded()) {
            // Only in the first second or so of a process: the gateway is ready before the tokenizer's
            // encodings are loaded, and a token estimate is never guessed. The request is paused
            // until the chain reads it, so it simply starts a little later.
            ExchangeFlow held = flow;
            Future.fromCompletionStage(TokenCounter.loaded(), context.vertx().getOrCreateContext())
                    .onComplete(ar -> chain.run(ex, held));
            return;
        }
        chain.run(ex, flow);
    }

    private static GatewayError methodNotAllowed(HttpServerRequest request, String allowed) {
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                request.method() + " is not supported on " + request.path() + "; use " + allowed, null, null)
                .header("Allow", allowed);
    }

    /**
     * Anthropic clients send their key as {@code x-api-key}: on the Anthropic paths it is the
     * caller's credential as a bearer token would be (the gateway's own API keys and service-account
     * tokens). It is never forwarded: providers get their own key.
     */
    private static void apiKeyAsBearer(HttpServerRequest request) {
        String key = request.getHeader("x-api-key");
        if (key != null && !key.isBlank() && request.getHeader("authorization") == null) {
            request.headers().set("authorization", "Bearer " + key.trim());
        }
    }

    private static ExchangeFlow refuse(GatewayError error) {
        return ExchangeFlow.refusing(error, OpenAiErrors.INSTANCE, null);
    }

    private static ExchangeFlow refuse(GatewayError error, ErrorRenderer errors) {
        return ExchangeFlow.refusing(error, errors, null);
    }
}
