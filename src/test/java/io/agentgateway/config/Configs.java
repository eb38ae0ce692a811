package io.agentgateway.config;

import java.util.List;
import java.util.Map;

/** Loads YAML text the way the gateway does, with an injected environment, for the config tests. */
final class Configs {
    /** The smallest valid config: one listener. Tests append the section under test to it. */
    static final String LISTENER = "listeners: [{name: llm, port: 8080, protocol: HTTP}]\n";

    private Configs() {
    }

    static GatewayConfig load(String yaml) throws ConfigException {
        return load(yaml, Map.of());
    }

    static GatewayConfig load(String yaml, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env::get).parse(yaml, null);
    }

    /** The errors the file produces, each rendered as {@code path: message}; fails if it loads. */
    static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    static List<String> errors(String yaml, Map<String, String> env) {
        return exception(yaml, env).errors().stream().map(ConfigError::toString).toList();
    }

    /** The exception the file produces; fails if it loads. */
    static ConfigException exception(String yaml, Map<String, String> env) {
        try {
            load(yaml, env);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("config should have been rejected:\n" + yaml);
    }
}
