package io.agentgateway.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code a2a} section. {@code default_url} is the template for agents not listed, with
 * {@code {name}} and {@code {namespace}} placeholders (the Kagent convention by default); an empty
 * string turns the convention off so only listed agents are reachable.
 * {@code card_signing_key_secret} names the Secret holding the private JWK the gateway re-signs
 * signed agent cards with (a key of the process is generated when it is not set).
 */
public record A2aConfig(
        List<A2aAgentConfig> agents,
        List<A2aRuleConfig> authorization,
        String defaultUrl,
        String publicUrl,
        Duration timeout,
        Duration streamTimeout,
        Duration cardCacheTtl,
        ConnectionPoolConfig connectionPool,
        String cardSigningKeySecret,
        String cardSigningKeySecretKey) {

    public static final String KAGENT_URL_TEMPLATE = "http://{name}.{namespace}:8080";
    public static final A2aConfig EMPTY = new A2aConfig(null, null, null, null, null, null, null, null, null, null);

    public A2aConfig {
        agents = agents == null ? List.of() : List.copyOf(agents);
        authorization = authorization == null ? List.of() : List.copyOf(authorization);
        defaultUrl = defaultUrl == null ? KAGENT_URL_TEMPLATE : defaultUrl;
        timeout = timeout == null ? Duration.ofSeconds(120) : timeout;
        streamTimeout = streamTimeout == null ? Duration.ofMinutes(10) : streamTimeout;
        cardCacheTtl = cardCacheTtl == null ? Duration.ofSeconds(30) : cardCacheTtl;
        cardSigningKeySecretKey = cardSigningKeySecretKey == null ? "key" : cardSigningKeySecretKey;
        connectionPool = connectionPool == null ? ConnectionPoolConfig.DEFAULT : connectionPool;
    }
}
