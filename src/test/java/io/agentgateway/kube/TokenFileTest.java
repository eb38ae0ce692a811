package io.agentgateway.kube;

import io.agentgateway.testing.ManualClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's own token file is read again once the refresh period has passed (projected tokens rotate). */
class TokenFileTest {
    @TempDir
    Path dir;
    final Vertx vertx = Vertx.vertx();
    final ManualClock clock = new ManualClock(java.time.Instant.ofEpochSecond(java.time.Instant.now().getEpochSecond()));

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void rereadsAfterTheRefreshPeriodAndKeepsTheTokenInBetween() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "first\n");
        TokenFile token = new TokenFile(vertx, file.toString(), clock, Duration.ofMinutes(1));
        assertThat(token.current().await(5, TimeUnit.SECONDS)).isEqualTo("first");
        Files.writeString(file, "second");
        clock.advance(Duration.ofSeconds(30));
        assertThat(token.current().await(5, TimeUnit.SECONDS)).isEqualTo("first");
        clock.advance(Duration.ofSeconds(31));
        assertThat(token.current().await(5, TimeUnit.SECONDS)).isEqualTo("second");
    }

    @Test
    void aMissingFileGivesNoTokenAndADeletedOneKeepsTheLast() throws Exception {
        TokenFile missing = new TokenFile(vertx, dir.resolve("absent").toString(), clock, Duration.ofMinutes(1));
        assertThat(missing.current().await(5, TimeUnit.SECONDS)).isEmpty();
        Path file = Files.writeString(dir.resolve("token"), "kept");
        TokenFile token = new TokenFile(vertx, file.toString(), clock, Duration.ofMinutes(1));
        assertThat(token.current().await(5, TimeUnit.SECONDS)).isEqualTo("kept");
        Files.delete(file);
        clock.advance(Duration.ofMinutes(2));
        assertThat(token.current().await(5, TimeUnit.SECONDS)).isEqualTo("kept");
    }
}
