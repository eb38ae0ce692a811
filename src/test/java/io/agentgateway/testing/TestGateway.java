package io.agentgateway.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.console.Console;
import io.agentgateway.runtime.AdminRoutes;
import io.agentgateway.runtime.Gateway;
import io.agentgateway.runtime.GatewayServices;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real gateway started in-process for integration tests: the YAML is loaded by the real
 * {@link ConfigLoader} and started by the real {@link Gateway}, on ephemeral loopback ports
 * (write {@code port: 0}). Each instance has its own Vert.x, so two instances behave like two
 * replicas. Close it after the test.
 */
public final class TestGateway implements AutoCloseable {
    /** The head most test configs start with: the LLM listener {@code llm} and the admin port, on ephemeral loopback ports. */
    public static final String LLM_LISTENER = """
            listeners:
              - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
            admin: {address: 127.0.0.1, port: 0}
            """;

    /** As {@link #LLM_LISTENER} for the MCP listener {@code mcp}. */
    public static final String MCP_LISTENER = """
            listeners:
              - {name: mcp, address: 127.0.0.1, port: 0, protocol: MCP}
            admin: {address: 127.0.0.1, port: 0}
            """;

    /** As {@link #LLM_LISTENER} for the A2A listener {@code a2a}. */
    public static final String A2A_LISTENER = """
            listeners:
              - {name: a2a, address: 127.0.0.1, port: 0, protocol: A2A}
            admin: {address: 127.0.0.1, port: 0}
            """;

    /**
     * {@link #LLM_LISTENER} and an {@code llm} section with one provider, {@code openai} (type
     * openai, every model), at {@code baseUrl}; a config may go on with more {@code llm} keys
     * (indented two spaces) or the next top-level section.
     */
    public static String llmConfig(String baseUrl) {
        return LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, base_url: %s}
                """.formatted(baseUrl);
    }

    /**
     * API keys for two namespaces, {@code key-a} for {@code team-a} and {@code key-b} for
     * {@code team-b}, given by {@link #TEAM_KEYS_ENV}.
     */
    public static final String TEAM_KEYS = """
            security:
              authentication:
                type: api_key
                keys:
                  - {name: a, key_secret: team-a-key, namespace: team-a}
                  - {name: b, key_secret: team-b-key, namespace: team-b}
            """;

    /** One API key, {@code dev-key} (give its value as {@code DEV_KEY}), for namespace {@code dev-team}. */
    public static final String DEV_KEY = """
            security:
              authentication:
                type: api_key
                keys: [{name: dev, key_secret: dev-key, namespace: dev-team}]
            """;

    /** The secrets {@link #TEAM_KEYS} names. */
    public static final Map<String, String> TEAM_KEYS_ENV = Map.of("TEAM_A_KEY", "key-a", "TEAM_B_KEY", "key-b");

    private final Vertx vertx;
    private final GatewayServices services;
    private final Gateway gateway;
    private final Path dir;
    private final ConfigLoader loader;

    private TestGateway(Vertx vertx, GatewayServices services, Gateway gateway, Path dir, ConfigLoader loader) {
        this.vertx = vertx;
        this.services = services;
        this.gateway = gateway;
        this.dir = dir;
        this.loader = loader;
    }

    public static TestGateway start(String yaml) {
        return start(yaml, Map.of(), Clock.systemUTC());
    }

    /**
     * @param env the environment for {@code ${VAR}} and secret fallbacks (the process environment is not used)
     */
    public static TestGateway start(String yaml, Map<String, String> env, Clock clock) {
        return start(yaml, env, clock, g -> AdminRoutes.NONE);
    }

    /** As {@link #start(String, Map, Clock)} with the console on the admin port, as {@code agentgateway run} has it. */
    public static TestGateway withConsole(String yaml, Map<String, String> env) {
        return withConsole(yaml, env, Clock.systemUTC());
    }

    public static TestGateway withConsole(String yaml, Map<String, String> env, Clock clock) {
        return start(yaml, env, clock, Console::create);
    }

    private static TestGateway start(String yaml, Map<String, String> env, Clock clock,
                                     Function<Gateway, AdminRoutes> adminRoutes) {
        try {
            Path dir = Files.createTempDirectory("agentgateway-test");
            Files.writeString(dir.resolve("config.yaml"), yaml);
            Map<String, String> environment = new HashMap<>(env);
            ConfigLoader loader = new ConfigLoader(environment::get);
            GatewayConfig config = loader.parse(yaml, dir);
            Vertx vertx = Vertx.vertx(Gateway.vertxOptions());
            GatewayServices services = new GatewayServices(vertx, clock, environment::get);
            Gateway gateway = Gateway.start(services, config, dir, adminRoutes).await(30, TimeUnit.SECONDS);
            return new TestGateway(vertx, services, gateway, dir, loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start: " + e.getMessage(), e);
        }
    }

    /** Loads new YAML and reloads the running gateway with it (throws if the config is refused). */
    public void reload(String yaml) throws Exception {
        GatewayConfig config = loader.parse(yaml, dir);
        gateway.reload(config).await(30, TimeUnit.SECONDS);
    }

    public int port(String listener) {
        return gateway.port(listener);
    }

    /** {@code http://127.0.0.1:PORT} of a listener. */
    public String url(String listener) {
        return "http://127.0.0.1:" + port(listener);
    }

    /** An openai-java client of the {@code llm} listener that sends {@code apiKey} as its bearer token and never retries. */
    public OpenAIClient openAi(String apiKey) {
        return OpenAIOkHttpClient.builder().apiKey(apiKey).baseUrl(url("llm") + "/v1").maxRetries(0).build();
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + gateway.adminPort();
    }

    public Gateway gateway() {
        return gateway;
    }

    public GatewayServices services() {
        return services;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The folder holding config.yaml: relative paths (secrets_dir, TLS files) resolve against it. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            gateway.stop(java.time.Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        services.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }
}
