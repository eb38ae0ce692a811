package io.agentgateway.config;

/** The {@code observability} section: metrics, tracing and the audit log. */
public record ObservabilityConfig(MetricsConfig metrics, TracingConfig tracing, LoggingConfig logging) {
    public static final ObservabilityConfig DEFAULT = new ObservabilityConfig(null, null, null);

    public ObservabilityConfig {
        metrics = metrics == null ? new MetricsConfig(null) : metrics;
        tracing = tracing == null ? TracingConfig.OFF : tracing;
        logging = logging == null ? LoggingConfig.DEFAULT : logging;
    }

    /** Prometheus metrics on the admin port at {@code /metrics}. */
    public record MetricsConfig(Boolean enabled) {
        public MetricsConfig {
            enabled = enabled == null ? Boolean.TRUE : enabled;
        }
    }
}
