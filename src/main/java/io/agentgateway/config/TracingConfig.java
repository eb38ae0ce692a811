package io.agentgateway.config;

import java.util.List;

/** {@code observability.tracing}: OpenTelemetry spans exported over OTLP. */
public record TracingConfig(
        Boolean enabled,
        Exporter exporter,
        String endpoint,
        OtlpProtocol protocol,
        List<Propagation> propagation,
        Double samplingRatio,
        String serviceName) {

    public enum Exporter { OTLP, NONE }

    public enum OtlpProtocol { GRPC, HTTP_PROTOBUF }

    public enum Propagation { W3C, B3, B3MULTI }

    public static final TracingConfig OFF = new TracingConfig(false, null, null, null, null, null, null);

    public TracingConfig {
        enabled = enabled == null ? Boolean.FALSE : enabled;
        exporter = exporter == null ? Exporter.OTLP : exporter;
        protocol = protocol == null ? OtlpProtocol.GRPC : protocol;
        propagation = propagation == null ? List.of(Propagation.W3C) : List.copyOf(propagation);
        samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
        serviceName = serviceName == null ? "agentgateway" : serviceName;
    }
}
