package io.agentgateway.config;

/** Listener TLS; with {@code client_ca_file} it is mTLS. */
public record TlsConfig(
        @Required String certFile,
        @Required String keyFile,
        String clientCaFile,
        ClientAuth clientAuth) {

    public enum ClientAuth { REQUIRED, OPTIONAL }

    public TlsConfig {
        clientAuth = clientAuth == null ? ClientAuth.REQUIRED : clientAuth;
    }
}
