package io.agentgateway.server;

import io.agentgateway.budget.Reservation;
import io.agentgateway.identity.Principal;
import io.vertx.core.Completable;
import io.vertx.core.Future;

/**
 * One run of the {@link GovernanceChain} for one exchange, in the order {@link GovernanceChain#run}
 * documents: authenticate, classify, authorize, reserve, forward, then finish exactly once. One
 * object is the listener of every step that has to wait; a step whose future is already complete
 * (an API key found in memory, an in-memory budget, a policy decision) is followed at once, on
 * the same stack, without a future or a lambda per step.
 *
 * <p>Confined to the exchange's event loop; not thread-safe, never reused.
 */
final class ChainRun implements Completable<Object> {
    private static final int AUTHENTICATE = 0;
    private static final int CLASSIFY = 1;
    private static final int AUTHORIZE = 2;
    private static final int RESERVE = 3;
    private static final int FORWARD = 4;

    private final GovernanceChain chain;
    private final Exchange ex;
    private final ExchangeFlow flow;
    /** The step that is running (or whose future this run waits for). */
    private int step = AUTHENTICATE;

    ChainRun(GovernanceChain chain, Exchange ex, ExchangeFlow flow) {
        this.chain = chain;
        this.ex = ex;
        this.flow = flow;
    }

    void start() {
        if (ex.refusedAtStart != null) {
            chain.finish(ex, flow, ex.refusedAtStart);
            return;
        }
        advance(begin(AUTHENTICATE));
    }

    /** A step this run waited for has completed. */
    @Override
    public void complete(Object result, Throwable failure) {
        if (failure != null) {
            chain.finish(ex, flow, failure);
            return;
        }
        accept(result);
        advance(step == FORWARD ? null : begin(step + 1));
    }

    /**
     * Runs steps while they complete at once; parks on the first that does not. {@code pending}
     * is the future of the current step, or null when it is done (accepted already, or it
     * completed without a future).
     */
    private void advance(Future<?> pending) {
        while (true) {
            if (pending != null) {
                if (!pending.isComplete()) {
                    pending.onComplete(this);
                    return;
                }
                if (pending.failed()) {
                    chain.finish(ex, flow, pending.cause());
                    return;
                }
                accept(pending.result());
            }
            if (step == FORWARD) {
                chain.finish(ex, flow, null);
                return;
            }
            pending = begin(step + 1);
        }
    }

    /** Starts step {@code next}: its future, or null when it is done already (a failure is a failed future). */
    private Future<?> begin(int next) {
        step = next;
        try {
            return switch (next) {
                case AUTHENTICATE -> {
                    if (chain.authentication().enabled()) {
                        yield chain.authentication().authenticate(chain.credentials(ex));
                    }
                    ex.principal(Principal.ANONYMOUS);
                    yield null;
                }
                case CLASSIFY -> flow.classify(ex);
                case AUTHORIZE -> chain.authorize(ex, flow);
                case RESERVE -> flow.charged(ex) ? chain.reserve(ex) : null;
                case FORWARD -> flow.forward(ex);
                default -> throw new IllegalStateException("no step " + next);
            };
        } catch (RuntimeException e) {
            // As a failed future would: the chain finishes with the failure, exactly once.
            return Future.failedFuture(e);
        }
    }

    /** What a step's success means for the exchange. */
    private void accept(Object result) {
        switch (step) {
            case AUTHENTICATE -> ex.principal((Principal) result);
            case RESERVE -> {
                if (result instanceof Reservation r) {
                    ex.reservation(r);
                    r.writeHeaders(ex.response().headers());
                }
            }
            default -> {
            }
        }
    }
}
