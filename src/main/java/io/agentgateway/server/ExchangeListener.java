package io.agentgateway.server;

/**
 * Told once when an exchange completes, successfully or not: where metrics, the span end and the
 * audit event come from. Called on the exchange's event loop; must not block.
 */
@FunctionalInterface
public interface ExchangeListener {
    void onComplete(Exchange exchange);

    ExchangeListener NONE = exchange -> {
    };

    static ExchangeListener all(java.util.List<ExchangeListener> listeners) {
        ExchangeListener[] array = listeners.toArray(ExchangeListener[]::new);
        return exchange -> {
            for (ExchangeListener l : array) {
                try {
                    l.onComplete(exchange);
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(ExchangeListener.class)
                            .warn("exchange listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
                }
            }
        };
    }
}
