package io.agentgateway.it;

import io.agentgateway.config.ConfigException;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reloads swap the runtime without dropping in-flight streams; a bad config keeps the old one; stop drains. */
class ReloadAndShutdownIT {
    FakeOpenAi fast;
    FakeOpenAi slow;
    TestGateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    String config(String extraModels) {
        return TestGateway.LLM_LISTENER + """
                secrets_dir: secrets
                llm:
                  providers:
                    - {name: fast, type: openai, base_url: "%s", models: ["fast-*"], api_key_secret: fast-key}
                    - {name: slow, type: openai, base_url: "%s", models: ["slow-*"]}
                  models:
                %s
                """.formatted(fast.baseUrl(), slow.baseUrl(), extraModels);
    }

    @BeforeEach
    void start() {
        fast = FakeOpenAi.start();
        slow = FakeOpenAi.start().always(new FakeOpenAi.SlowStream("one two three four five six seven eight", 150));
        gateway = TestGateway.start(config("    - {name: old-alias, provider: fast}"), Map.of("FAST_KEY", "from-env"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        gateway.close();
        fast.close();
        slow.close();
    }

    CompletableFuture<HttpResponse<String>> chat(String model, boolean stream) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url("llm") + "/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"stream\":" + stream
                        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reloadSwapsRoutesWithoutDroppingAnInFlightStream() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = chat("slow-model", true);
        waitFor(() -> !slow.received().isEmpty());
        gateway.reload(config("    - {name: new-alias, provider: fast, model: fast-renamed}"));

        assertThat(chat("new-alias", false).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(fast.last().body().path("model").asText()).isEqualTo("fast-renamed");
        assertThat(chat("old-alias", false).get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(404);

        HttpResponse<String> streamed = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("eight").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aConfigThatDoesNotCompileKeepsTheRunningOne() {
        assertThatThrownBy(() -> gateway.reload(config("    - {name: x, provider: fast}").replace("type: openai, base_url: \"" + fast.baseUrl() + "\"",
                // Bedrock signs for a region: a base_url that names none, and no region, only fails when compiled.
                "type: bedrock, base_url: \"https://bedrock.example.com\"")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("llm.providers[0].type");
        assertThat(chat("old-alias", false).join().statusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedSecretFileIsUsedWithoutReload() throws Exception {
        chat("fast-model", false).join();
        assertThat(fast.last().headers().get("authorization")).isEqualTo("Bearer from-env");
        Path key = gateway.dir().resolve("secrets/fast-key/api-key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "from-file-1\n");
        waitFor(() -> {
            chat("fast-model", false).join();
            return "Bearer from-file-1".equals(fast.last().headers().get("authorization"));
        });
        Files.writeString(key, "from-file-2");
        waitFor(() -> {
            chat("fast-model", false).join();
            return "Bearer from-file-2".equals(fast.last().headers().get("authorization"));
        });
    }

    @Test
    void stopDrainsInFlightStreamsAndTurnsReadinessOff() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> inFlight = chat("slow-model", true);
        waitFor(() -> !slow.received().isEmpty());
        int port = gateway.port("llm");
        var stopping = gateway.gateway().stop(Duration.ofSeconds(20));

        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("shutting down");

        HttpResponse<String> streamed = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(streamed.body()).contains("eight").endsWith("data: [DONE]\n\n");
        stopping.await(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString())).hasCauseInstanceOf(ConnectException.class);
    }

    static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20s");
            }
            Thread.sleep(50);
        }
    }
}
