package io.agentgateway.server;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Told once when an exchange of a protocol it is for ({@link #protocols()}) completes,
 * successfully or not: where metrics, the span end and the audit event come from. Called on the
 * exchange's event loop; must not block.
 */
@FunctionalInterface
public interface ExchangeListener {
    void onComplete(Exchange exchange);

    /** The protocols whose exchanges this listener is for; {@link #all} calls it for no other. */
    default Set<Protocol> protocols() {
        return EnumSet.allOf(Protocol.class);
    }

    ExchangeListener NONE = exchange -> {
    };

    /**
     * One listener calling each of {@code listeners} for the exchanges of the protocols it is for,
     * in order; a listener that throws is logged and the others still run.
     */
    static ExchangeListener all(List<ExchangeListener> listeners) {
        Map<Protocol, ExchangeListener[]> byProtocol = new EnumMap<>(Protocol.class);
        for (Protocol p : Protocol.values()) {
            List<ExchangeListener> those = new ArrayList<>();
            for (ExchangeListener l : listeners) {
                if (l.protocols().contains(p)) {
                    those.add(l);
                }
            }
            byProtocol.put(p, those.toArray(ExchangeListener[]::new));
        }
        return exchange -> {
            for (ExchangeListener l : byProtocol.get(exchange.protocol())) {
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
