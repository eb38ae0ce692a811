package io.agentgateway.server;

import io.vertx.core.Future;

/** See {@link ExchangeFlow#refusing}. Immutable. */
final class RefusingFlow implements ExchangeFlow {
    private final GatewayError error;
    private final ErrorRenderer errors;
    private final String action;

    RefusingFlow(GatewayError error, ErrorRenderer errors, String action) {
        this.error = error;
        this.errors = errors;
        this.action = action;
    }

    @Override
    public Future<Void> classify(Exchange exchange) {
        if (action != null) {
            exchange.action(action);
        }
        return Future.failedFuture(error);
    }

    @Override
    public Future<Void> forward(Exchange exchange) {
        return Future.failedFuture(error);
    }

    @Override
    public ErrorRenderer errors() {
        return errors;
    }
}
