package io.agentgateway.it;

import io.agentgateway.config.ConfigException;
import io.agentgateway.secret.SecretRef;
import io.agentgateway.testing.StdioMcpServer;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reload whose plan fails changes nothing observable: the secrets directory (and the values read
 * from it), the listeners and the running MCP server processes stay as they were, and nothing the
 * rejected config names is started. A good reload then changes all three, so the same checks can fail.
 */
class PlanThenActivateIT {
    // The class path goes in the environment: a process's command line is only readable up to 4 KiB.
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String CLASSPATH = System.getProperty("java.class.path");

    TestGateway gateway;

    static String config(String secretsDir, String server, String extraListener, String authentication) {
        return """
                listeners:
                  - {name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}
                  - {name: mcp, address: 127.0.0.1, port: 0, protocol: MCP}
                %s
                admin: {address: 127.0.0.1, port: 0}
                secrets_dir: %s
                llm:
                  providers:
                    - {name: upstream, type: openai, base_url: "http://127.0.0.1:9/v1", models: ["*"], api_key_secret: provider-key}
                mcp:
                  servers:
                    - name: local
                      transport: stdio
                      isolation: shared
                      command: ["%s", "%s", "%s"]
                      env: {CLASSPATH: "%s"}
                %s
                """.formatted(extraListener, secretsDir, JAVA, StdioMcpServer.class.getName(), server, CLASSPATH, authentication);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aRejectedReloadLeavesSecretsListenersAndMcpProcessesAsTheyWere() throws Exception {
        gateway = TestGateway.start(config("secrets-a", "probe-a", "", ""), Map.of(), Clock.systemUTC());
        writeSecret("secrets-a", "from-a");
        writeSecret("secrets-b", "from-b");
        Path before = gateway.services().secrets().directory();
        SecretRef key = gateway.gateway().runtime().requiredSecrets().getFirst();
        waitFor(() -> key.resolved() && children("probe-a").size() == 1);
        List<ProcessHandle> running = children("probe-a");
        int llm = gateway.port("llm");
        int mcp = gateway.port("mcp");

        // Valid to the loader, refused by the plan (a symmetric algorithm), and different in every
        // respect a side effect would show: another secrets_dir, another listener, another MCP server.
        String refused = config("secrets-b", "probe-b", "  - {name: extra, address: 127.0.0.1, port: 0, protocol: A2A}", """
                security:
                  authentication: {type: jwt, issuer: "https://idp.example.com", algorithms: [HS256]}
                """);
        assertThatThrownBy(() -> gateway.reload(refused)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.authentication.algorithms[0]");

        assertThat(gateway.services().secrets().directory()).isEqualTo(before);
        assertThat(key.current().reveal()).isEqualTo("from-a");
        assertThat(gateway.port("llm")).isEqualTo(llm);
        assertThat(gateway.port("mcp")).isEqualTo(mcp);
        assertThat(gateway.port("extra")).isEqualTo(-1);
        assertThat(children("probe-a")).containsExactlyElementsOf(running).allMatch(ProcessHandle::isAlive);
        assertThat(children("probe-b")).isEmpty();

        // The same changes in a config that plans: every one of them shows.
        gateway.reload(config("secrets-b", "probe-b", "  - {name: extra, address: 127.0.0.1, port: 0, protocol: A2A}", ""));
        assertThat(gateway.services().secrets().directory()).isEqualTo(gateway.dir().resolve("secrets-b"));
        assertThat(key.current().reveal()).isEqualTo("from-b");
        assertThat(gateway.port("extra")).isPositive();
        waitFor(() -> children("probe-b").size() == 1 && running.stream().noneMatch(ProcessHandle::isAlive));
    }

    void writeSecret(String dir, String value) throws Exception {
        Path file = gateway.dir().resolve(dir).resolve("provider-key").resolve("api-key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, value);
    }

    /** This JVM's child processes running the stdio test server named {@code name}. */
    static List<ProcessHandle> children(String name) {
        return ProcessHandle.current().descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").equals(
                        JAVA + " " + StdioMcpServer.class.getName() + " " + name))
                .toList();
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(50);
        }
    }
}
