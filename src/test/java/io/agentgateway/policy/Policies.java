package io.agentgateway.policy;

import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.identity.Principal;
import io.vertx.core.MultiMap;

import java.nio.file.Path;
import java.util.Map;

/** Configs loaded by the real loader, and the principals and requests the policy tests decide about. */
final class Policies {
    static final String LISTENER = "listeners: [{name: llm, port: 8080, protocol: HTTP}]\n";

    private Policies() {
    }

    static GatewayConfig load(String yaml) {
        try {
            return new ConfigLoader(Map.<String, String>of()::get).parse(LISTENER + yaml, null);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The user's own description, every fragment in one file. */
    static GatewayConfig seed() {
        try {
            return new ConfigLoader(Map.<String, String>of()::get).load(Path.of("examples/seed.yaml"));
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static AuthorizationPolicies engine(String yaml) {
        try {
            return AuthorizationPolicies.compile(load(yaml).authorization());
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static Principal sa(String namespace, String serviceAccount) {
        return Principal.serviceAccount(namespace, serviceAccount, "kubernetes", Map.of());
    }

    static Principal ns(String namespace) {
        return new Principal(namespace, null, "apikey:" + namespace, "api_key", Map.of("api_key", namespace));
    }

    static RequestFacts request(String... headerPairs) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        return new RequestFacts("POST", "/v1/chat/completions", headers);
    }

    static Resource model(String name) {
        return new Resource.Model(name);
    }
}
