package io.agentgateway.server;

import io.agentgateway.policy.Decision;
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

    /**
     * The protocol's own authorization rules, which must allow as well as the resource policies
     * (A2A's {@code a2a.authorization} source->target rules). The chain asks this in
     * its authorize step, after classify (so the resource is known) and right before the resource
     * policies; a deny here refuses the call and is the decision recorded on the exchange. Pure:
     * no I/O. Null (the default) when the protocol has no rules of its own.
     */
    default Decision protocolDecision(Exchange exchange) {
        return null;
    }

    /**
     * Whether this request is charged against the budgets. Asked once, after authorization and
     * right before the reservation; false for a request the flow will answer from the gateway's
     * own cache without calling upstream (an A2A agent card), which then neither spends nor
     * needs budget. A flow that answers false must answer from what it looked at here, not look
     * again in {@link #forward}. True (the default) for everything that goes upstream.
     */
    default boolean charged(Exchange exchange) {
        return true;
    }

    ErrorRenderer errors();

    /**
     * A flow that refuses with {@code error}, written by {@code errors}. The chain runs it like any
     * other, so the refusal comes after authentication (a wrong URL or method is answered in
     * detail only to known callers) and is measured and audited once. {@code action}, when not
     * null, is recorded as the exchange's protocol action.
     */
    static ExchangeFlow refusing(GatewayError error, ErrorRenderer errors, String action) {
        return new RefusingFlow(error, errors, action);
    }
}
