package io.agentgateway.server;

import io.vertx.core.MultiMap;

/**
 * Distributed tracing of exchanges: a server span per exchange that continues the caller's trace
 * (W3C {@code traceparent}, B3), and a client span per upstream call whose context is written into
 * the upstream request's headers. Implementations are thread-safe; the per-exchange state lives on
 * the {@link Exchange}.
 */
public interface ExchangeTracer {
    /** Opens the exchange's server span from the request's trace headers. */
    void start(Exchange exchange);

    /** Opens a client span for one upstream call and writes its trace headers into {@code headers}. */
    UpstreamSpan upstream(Exchange exchange, String name, String peer, MultiMap headers);

    /** Closes the server span with what the exchange recorded (status, principal, usage, decision). */
    void end(Exchange exchange);

    /** One upstream call's span. */
    interface UpstreamSpan {
        /** @param status the upstream's HTTP status, or 0 when it never answered */
        void end(int status, Throwable error);

        /** Records on the span that the call waited {@code nanos} for a connection to its upstream. */
        default void waited(long nanos) {
        }

        UpstreamSpan NONE = (status, error) -> {
        };
    }

    ExchangeTracer NONE = new ExchangeTracer() {
        @Override
        public void start(Exchange exchange) {
        }

        @Override
        public UpstreamSpan upstream(Exchange exchange, String name, String peer, MultiMap headers) {
            return UpstreamSpan.NONE;
        }

        @Override
        public void end(Exchange exchange) {
        }
    };
}
