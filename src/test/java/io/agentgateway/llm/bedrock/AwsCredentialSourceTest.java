package io.agentgateway.llm.bedrock;

import io.agentgateway.testing.Await;
import io.agentgateway.testing.ManualClock;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credentials from the SDK's providers (web identity through STS, instance metadata) may need a
 * network call: they are fetched on a worker thread, never an event loop, kept until shortly
 * before they expire, and refreshed in the background while the current ones still serve.
 */
class AwsCredentialSourceTest {
    final Vertx vertx = Vertx.vertx();
    final ManualClock clock = ManualClock.at("2026-06-01T12:00:00Z");
    final AtomicInteger calls = new AtomicInteger();
    final List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    final AwsCredentialsProvider sts = () -> {
        onEventLoop.add(Context.isOnEventLoopThread());
        int n = calls.incrementAndGet();
        return AwsSessionCredentials.builder().accessKeyId("ASIA" + n).secretAccessKey("secret").sessionToken("token" + n)
                .expirationTime(clock.instant().plus(Duration.ofHours(1))).build();
    };

    @AfterEach
    void close() {
        vertx.close().await();
    }

    String keyId(AwsCredentialSource source) {
        Context context = vertx.getOrCreateContext();
        Promise<String> promise = Promise.promise();
        // Asked from the event loop, as a request would.
        context.runOnContext(x -> source.current(context).map(c -> c.accessKeyId()).onComplete(promise));
        try {
            return promise.future().await(60, TimeUnit.SECONDS); // a hang guard only: the machine may be loaded
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fetchedOffTheEventLoopOnceThenServedFromTheCacheUntilCloseToExpiry() {
        AwsCredentialSource source = AwsCredentialSource.provider(sts, clock);
        assertThat(keyId(source)).isEqualTo("ASIA1");
        assertThat(keyId(source)).isEqualTo("ASIA1");
        assertThat(calls.get()).as("cached").isEqualTo(1);

        clock.advance(Duration.ofMinutes(56)); // 4 minutes left: refresh in the background, serve the current ones
        assertThat(keyId(source)).isEqualTo("ASIA1");
        Await.until("the background refresh", () -> calls.get() == 2);
        Await.until("the refreshed keys serve", () -> "ASIA2".equals(keyId(source)));

        clock.set(Instant.parse("2026-06-01T15:00:00Z")); // long expired: the request waits for new ones
        assertThat(keyId(source)).isEqualTo("ASIA3");
        assertThat(onEventLoop).hasSize(3).containsOnly(false);
    }
}
