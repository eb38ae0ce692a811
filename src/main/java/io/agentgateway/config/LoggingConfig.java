package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/** {@code observability.logging}: the audit log, one JSON object per request, to each output. */
public record LoggingConfig(Boolean enabled, Format format, Boolean includePayloads, List<AuditOutputConfig> output) {
    public enum Format { JSON }

    public static final LoggingConfig DEFAULT = new LoggingConfig(null, null, null, null);

    public LoggingConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        format = format == null ? Format.JSON : format;
        includePayloads = includePayloads == null ? Boolean.FALSE : includePayloads;
        output = output == null ? List.of(new AuditOutputConfig(AuditOutputConfig.Type.STDOUT, null, null, null,
                null, null, null, null, null, null, null, null)) : List.copyOf(output);
    }

    /** One audit destination. */
    public record AuditOutputConfig(
            @Required Type type,
            String endpoint,
            String index,
            String apiKeySecret,
            String username,
            String passwordSecret,
            String spoolDir,
            String path,
            Integer batchSize,
            Duration flushInterval,
            String caFile,
            Boolean insecureSkipVerify) {

        public enum Type { STDOUT, FILE, ELASTICSEARCH, OPENSEARCH }

        public AuditOutputConfig {
            batchSize = batchSize == null ? 500 : batchSize;
            flushInterval = flushInterval == null ? Duration.ofSeconds(2) : flushInterval;
            insecureSkipVerify = insecureSkipVerify == null ? Boolean.FALSE : insecureSkipVerify;
        }
    }
}
