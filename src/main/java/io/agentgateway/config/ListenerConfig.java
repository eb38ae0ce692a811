package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/** One entry of {@code listeners}: where to accept which kind of traffic. */
public record ListenerConfig(
        @Required String name,
        String address,
        @Required Integer port,
        @Required Protocol protocol,
        TlsConfig tls,
        DataSize maxBodySize,
        DataSize maxHeaderSize,
        Integer maxHeaderCount,
        Duration idleTimeout,
        List<String> trustedProxies) {

    /** What a listener speaks; written upper-case, as in examples/seed.yaml ({@code protocol: HTTP}). */
    public enum Protocol {
        /** The OpenAI-compatible LLM API. */
        HTTP,
        MCP,
        A2A
    }

    /** Header fields a request may carry unless the listener says otherwise. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;

    public ListenerConfig {
        address = address == null ? "0.0.0.0" : address;
        maxBodySize = maxBodySize == null ? DataSize.ofMebibytes(32) : maxBodySize;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKibibytes(16) : maxHeaderSize;
        maxHeaderCount = maxHeaderCount == null ? DEFAULT_MAX_HEADER_COUNT : maxHeaderCount;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
