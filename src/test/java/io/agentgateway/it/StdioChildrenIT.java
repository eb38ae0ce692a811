package io.agentgateway.it;

import io.agentgateway.testing.StdioMcpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agentgateway run} as its own process with a stdio MCP server: the server does not outlive
 * the gateway, whether the gateway is stopped (SIGTERM) or killed outright (SIGKILL, as the OOM
 * killer does). The test server ignores the end of its stdin (it waits forever), so only the
 * gateway's own arrangements can end it.
 */
class StdioChildrenIT {
    // The class path goes in the environment: a process's command line is only readable up to 4 KiB.
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Process gateway;
    ProcessHandle server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIGTERM", "SIGKILL"})
    void theStdioServerEndsWithTheGateway(String signal) throws Exception {
        String name = "child-" + signal.toLowerCase();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                listeners: [{name: mcp, address: 127.0.0.1, port: 0, protocol: MCP}]
                admin: {address: 127.0.0.1, port: %d}
                shutdown: {grace_period: 1s}
                mcp:
                  servers:
                    - name: local
                      transport: stdio
                      isolation: shared
                      command: ["%s", "%s", "%s"]
                      env: {CLASSPATH: "%s"}
                """.formatted(freePort(), JAVA, StdioMcpServer.class.getName(), name, System.getProperty("java.class.path")));
        gateway = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), "io.agentgateway.cli.Main",
                "run", "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
        String command = JAVA + " " + StdioMcpServer.class.getName() + " " + name;
        await(() -> {
            List<ProcessHandle> found = gateway.toHandle().descendants()
                    .filter(p -> p.info().commandLine().orElse("").equals(command)).toList();
            server = found.isEmpty() ? null : found.getFirst();
            return server != null;
        });

        if (signal.equals("SIGKILL")) {
            gateway.destroyForcibly();
        } else {
            gateway.destroy();
        }
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        await(() -> !server.isAlive());
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 30s");
            }
            Thread.sleep(100);
        }
    }
}
