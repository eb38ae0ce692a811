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
        Duration idleTimeout,
        List<String> trustedProxies) {

    /** What a listener speaks; the seed writes these upper-case ({@code protocol: HTTP}). */
    public enum Protocol {
        /** The OpenAI-compatible LLM API. */
        HTTP,
        MCP,
        A2A
    }

    public ListenerConfig {
        address = address == null ? "0.0.0.0" : address;
        maxBodySize = maxBodySize == null ? DataSize.ofMebibytes(32) : maxBodySize;
        maxHeaderSize = maxHeaderSize == null ? DataSize.ofKibibytes(16) : maxHeaderSize;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
