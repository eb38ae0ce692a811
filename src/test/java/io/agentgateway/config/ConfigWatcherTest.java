package io.agentgateway.config;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher sees a ConfigMap update (the kubelet's atomic ..data symlink swap) and ignores invalid versions. */
class ConfigWatcherTest {
    Vertx vertx;
    final List<GatewayConfig> seen = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    static String config(int port) {
        return "listeners: [{name: llm, port: " + port + ", protocol: HTTP}]\n";
    }

    /** Lays out a mounted ConfigMap the way the kubelet does and returns the path the gateway is given. */
    Path mountConfigMap(String content) throws Exception {
        Path version = dir.resolve("..2026_11_26_01_00_00.000000001");
        Files.createDirectories(version);
        Files.writeString(version.resolve("config.yaml"), content);
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("..data/config.yaml"));
        return dir.resolve("config.yaml");
    }

    /** The kubelet's update: write a new version folder, point a temporary link at it, rename it over ..data. */
    void updateConfigMap(String content, int n) throws Exception {
        Path version = dir.resolve("..2026_11_26_01_00_0" + n + ".000000001");
        Files.createDirectories(version);
        Files.writeString(version.resolve("config.yaml"), content);
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, version.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void seesTheSymlinkSwapAndSkipsAnInvalidVersion() throws Exception {
        Path file = mountConfigMap(config(8080));
        ConfigWatcher watcher = new ConfigWatcher(vertx, file, new ConfigLoader(Map.<String, String>of()::get), seen::add);
        watcher.start(50);

        updateConfigMap(config(9090), 1);
        await(() -> seen.size() == 1);
        assertThat(seen.get(0).listeners().get(0).port()).isEqualTo(9090);

        updateConfigMap("listeners: [{name: llm, port: nope, protocol: HTTP}]\n", 2);
        updateConfigMap(config(9191), 3);
        await(() -> seen.size() == 2);
        assertThat(seen).extracting(c -> c.listeners().get(0).port()).containsExactly(9090, 9191);
        watcher.stop();
    }

    @Test
    void unchangedContentDoesNotReload() throws Exception {
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, config(8080));
        ConfigWatcher watcher = new ConfigWatcher(vertx, file, new ConfigLoader(Map.<String, String>of()::get), seen::add);
        watcher.start(50);
        Files.writeString(file, config(8080));
        Files.writeString(file, config(8181));
        await(() -> seen.size() == 1);
        assertThat(seen.get(0).listeners().get(0).port()).isEqualTo(8181);
        watcher.stop();
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
