package io.agentgateway.runtime;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What compiling {@code security.authentication} finds: valid outside a cluster, errors with key paths. */
class AuthenticationCompileTest {
    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();
    final GatewayServices services = new GatewayServices(vertx, Clock.systemUTC(), Map.<String, String>of()::get);

    @AfterEach
    void close() throws Exception {
        services.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    GatewayRuntime compile(String yaml) throws ConfigException {
        GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(yaml, dir);
        return GatewayRuntime.compile(config, dir, services);
    }

    @Test
    void theSeedCompilesOnALaptopAndReadinessSaysTheApiServerIsMissing() throws Exception {
        GatewayConfig seed = new ConfigLoader(Map.of("OPENAI_CREDENTIALS", "sk-test")::get).load(Path.of("examples/seed.yaml"));
        GatewayRuntime runtime = GatewayRuntime.compile(seed, Path.of("examples"), services);
        assertThat(runtime.notReady()).singleElement().asString()
                .startsWith("security.authentication: kubernetes authentication has no API server")
                .contains("security.authentication.kubernetes.api_server is not configured");
    }

    @Test
    void symmetricOrUnknownAlgorithmsAreConfigErrorsWithTheirPath() {
        assertThatThrownBy(() -> compile("""
                listeners: [{name: llm, port: 0, protocol: HTTP}]
                security:
                  authentication:
                    type: jwt
                    issuer: https://idp.example.com
                    algorithms: [RS256, HS256, none]
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                .containsExactly(
                        "security.authentication.algorithms[1]: \"HS256\" is not an accepted algorithm (one of ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512)",
                        "security.authentication.algorithms[2]: \"none\" is not an accepted algorithm (one of ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512)"));
    }

    @Test
    void aConfiguredCaFileThatDoesNotExistIsAConfigError() {
        assertThatThrownBy(() -> compile("""
                listeners: [{name: llm, port: 0, protocol: HTTP}]
                security:
                  authentication:
                    methods:
                      - type: kubernetes
                        kubernetes: {api_server: "https://10.0.0.1:6443", ca_file: missing-ca.crt}
                """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::toString)
                .singleElement().asString().startsWith("security.authentication.methods[0].kubernetes.ca_file: file not found: ")
                .endsWith("missing-ca.crt"));
    }

    @Test
    void inAClusterTheApiServerComesFromTheEnvironmentAndNothingIsMissing() throws Exception {
        try (GatewayServices inCluster = new GatewayServices(vertx, Clock.systemUTC(),
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443")::get)) {
            GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                    listeners: [{name: llm, port: 0, protocol: HTTP}]
                    security: {authentication: {type: kubernetes, service_account_validation: true}}
                    """, dir);
            assertThat(GatewayRuntime.compile(config, dir, inCluster).notReady()).isEmpty();
        }
    }
}
