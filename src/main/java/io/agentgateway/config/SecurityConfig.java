package io.agentgateway.config;

/** The {@code security} section. */
public record SecurityConfig(AuthenticationConfig authentication) {
    public static final SecurityConfig NONE = new SecurityConfig(null);

    public SecurityConfig {
        authentication = authentication == null ? AuthenticationConfig.NONE : authentication;
    }
}
