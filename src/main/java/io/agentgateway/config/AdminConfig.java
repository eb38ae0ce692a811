package io.agentgateway.config;

/** The admin port: health, readiness, metrics, admin API. */
public record AdminConfig(String address, Integer port) {
    public static final AdminConfig DEFAULT = new AdminConfig(null, null);

    public AdminConfig {
        address = address == null ? "0.0.0.0" : address;
        port = port == null ? 15000 : port;
    }
}
