package io.agentgateway.server;

import io.vertx.core.Future;

/**
 * What a protocol contributes to one governed request: how to name the resource, how to forward,
 * and how to write a refusal. The {@link GovernanceChain} decides the order and does the rest.
 * One instance per request is fine; it may keep the parsed request between the steps.
 */
public interface ExchangeFlow {
    /**
     * Reads what the decision needs (headers, body) and sets {@link Exchange#resource} and,
     * for token budgets, {@link Exchange#estimatedTokens}. Fails with a {@link GatewayError} for
     * bad input.
     */
    Future<Void> classify(Exchange exchange);

    /**
     * Sends the request upstream and the answer to the client, recording upstream, status and
     * usage on the exchange. Completes when the response has ended (or failed); a failure after
     * the response has started is the flow's to signal in-band (an SSE error event).
     */
    Future<Void> forward(Exchange exchange);

    ErrorRenderer errors();
}
