package io.agentgateway.it;

import io.agentgateway.testing.FakeOpenAi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agentgateway run} as its own process: it starts, reloads when its file changes, and on
 * SIGTERM turns readiness off, lets an in-flight stream finish, and exits 0.
 */
class ProcessLifecycleIT {
    FakeOpenAi slow;
    Process process;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (slow != null) {
            slow.close();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String config(int port, int admin, String model) {
        return """
                listeners: [{name: llm, address: 127.0.0.1, port: %d, protocol: HTTP}]
                admin: {address: 127.0.0.1, port: %d}
                shutdown: {grace_period: 20s}
                llm:
                  providers: [{name: slow, type: openai, base_url: "%s", models: ["%s"]}]
                """.formatted(port, admin, slow.baseUrl(), model);
    }

    @Test
    void runReloadsAndDrainsOnSigterm() throws Exception {
        slow = FakeOpenAi.start().always(new FakeOpenAi.SlowStream("one two three four five six seven eight", 200));
        int port = freePort();
        int admin = freePort();
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, config(port, admin, "first-*"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.agentgateway.cli.Main",
                "run", "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
        await(() -> status(admin, "/readyz") == 200);

        Files.writeString(file, config(port, admin, "second-*"));
        await(() -> chat(port, "second-model", false).join().statusCode() == 200);
        assertThat(chat(port, "first-model", false).join().statusCode()).isEqualTo(404);

        CompletableFuture<HttpResponse<String>> stream = chat(port, "second-model", true);
        await(() -> slow.received().stream().anyMatch(r -> r.body().path("stream").asBoolean()));
        process.toHandle().destroy();   // SIGTERM
        await(() -> status(admin, "/readyz") != 200);
        HttpResponse<String> streamed = stream.get(30, TimeUnit.SECONDS);
        assertThat(streamed.body()).contains("eight").endsWith("data: [DONE]\n\n");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        List<String> log = Files.readAllLines(dir.resolve("gateway.log"));
        assertThat(log).anyMatch(l -> l.contains("config reloaded")).anyMatch(l -> l.contains("stopping: draining"));
    }

    @Test
    void anInvalidConfigIsRefusedAtStartWithEveryError() throws Exception {
        slow = FakeOpenAi.start();
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "listeners: [{name: llm, port: 99999, protocol: HTTP, colour: blue}]\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.agentgateway.cli.Main",
                "run", "--config", file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(out).contains("listeners[0].colour: unknown key").contains("listeners[0].port: 99999 is not a port");
    }

    @Test
    void aPortInUseIsNamedInOneLineAndTheProcessExits() throws Exception {
        slow = FakeOpenAi.start();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Path file = dir.resolve("busy.yaml");
            Files.writeString(file, config(taken.getLocalPort(), freePort(), "m"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.agentgateway.cli.Main",
                    "run", "--config", file.toString()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(out.lines().filter(l -> l.contains("could not start")).toList()).singleElement().asString()
                    .endsWith("could not start: listener llm (HTTP) cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": Address already in use");
            assertThat(out).doesNotContain("bind(..)").doesNotContain("\tat ");
        }
    }

    int status(int admin, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    CompletableFuture<HttpResponse<String>> chat(int port, String model, boolean stream) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("condition within 60s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

}
