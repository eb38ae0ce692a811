package io.agentgateway.server;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LoopUpstreamClient} against a real HTTP server that counts the connections it accepts:
 * when a connection is reused, when it must not be, and what still works off the loop.
 */
class LoopUpstreamClientTest {
    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private io.vertx.core.Context loop;
    private LoopUpstreamClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(req -> {
            switch (req.path()) {
                case "/close" -> req.response().putHeader("connection", "close").end("closing");
                case "/short" -> req.response().putHeader("keep-alive", "timeout=5").end("short");
                case "/slow" -> vertx.setTimer(200, t -> req.response().end("slow"));
                case "/never" -> {
                    // No answer: the caller resets.
                }
                default -> req.body().onComplete(b -> req.response().end("ok " + req.path()));
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        // The client lives on one event loop, as a listener instance's does.
        CompletableFuture<LoopUpstreamClient> made = new CompletableFuture<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                loop = context;
                made.complete(new LoopUpstreamClient(vertx, vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(60)),
                        60_000, now::get));
            }
        }).await(10, TimeUnit.SECONDS);
        client = made.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        onLoop(() -> client.close());
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private RequestOptions to(String path) {
        return new RequestOptions().setMethod(HttpMethod.GET).setServer(SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1"))
                .setHost("127.0.0.1").setPort(server.actualPort()).setURI(path);
    }

    private <T> T onLoop(Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        loop.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(ar.cause());
            }
        }));
        return out.get(10, TimeUnit.SECONDS);
    }

    private String get(String path) throws Exception {
        return onLoop(() -> client.request(to(path)).compose(HttpClientRequest::send).compose(HttpClientResponse::body)).toString();
    }

    /** The idle connections, counted on the loop once the tasks queued before (a release) have run. */
    private int idle() throws Exception {
        return onLoop(() -> Future.succeededFuture(client.idleConnections()));
    }

    @Test
    void callsOneAfterAnotherShareOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/" + i)).isEqualTo("ok /" + i);
        }
        assertThat(connections.get()).isEqualTo(1);
        assertThat(idle()).isEqualTo(1);
    }

    @Test
    void callsAtTheSameTimeGetAConnectionEach() throws Exception {
        List<String> answers = onLoop(() -> {
            List<Future<String>> all = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                all.add(client.request(to("/slow")).compose(HttpClientRequest::send).compose(HttpClientResponse::body).map(Object::toString));
            }
            return Future.all(all).map(f -> f.<String>list());
        });
        assertThat(answers).containsExactly("slow", "slow", "slow");
        assertThat(connections.get()).isEqualTo(3);
        // All three are free again: the next three calls open none.
        for (int i = 0; i < 3; i++) {
            get("/again");
        }
        assertThat(connections.get()).isEqualTo(3);
    }

    @Test
    void aConnectionTheUpstreamClosesIsNotReused() throws Exception {
        assertThat(get("/close")).isEqualTo("closing");
        assertThat(get("/after")).isEqualTo("ok /after");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void aResetCallDoesNotLeaveItsConnectionToTheNext() throws Exception {
        assertThatThrownBy(() -> onLoop(() -> client.request(to("/never")).compose(req -> {
            Future<HttpClientResponse> answer = req.send();
            vertx.setTimer(50, t -> req.reset());
            return answer;
        }))).hasRootCauseInstanceOf(io.vertx.core.http.StreamResetException.class);
        assertThat(get("/next")).isEqualTo("ok /next");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void anIdleConnectionPastItsKeepAliveIsClosedNotReused() throws Exception {
        get("/first");
        assertThat(idle()).isEqualTo(1);
        now.addAndGet(60_001);
        get("/second");
        assertThat(connections.get()).isEqualTo(2);
        // The upstream's own shorter Keep-Alive timeout wins.
        get("/short");
        assertThat(idle()).isEqualTo(1);
        now.addAndGet(5_001);
        get("/third");
        assertThat(connections.get()).isEqualTo(3);
    }

    @Test
    void aCallFromOffTheLoopStillGoesOut() throws Exception {
        CompletableFuture<String> out = new CompletableFuture<>();
        client.request(to("/off")).compose(HttpClientRequest::send).compose(HttpClientResponse::body)
                .onComplete(ar -> out.complete(ar.succeeded() ? ar.result().toString() : ar.cause().toString()));
        assertThat(out.get(10, TimeUnit.SECONDS)).isEqualTo("ok /off");
    }

    @Test
    void anUnreachableUpstreamFailsTheCall() throws Exception {
        int port = server.actualPort();
        server.close().await(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> onLoop(() -> client.request(new RequestOptions().setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
                .setHost("127.0.0.1").setPort(port).setURI("/")).compose(HttpClientRequest::send)))
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void keepAliveTimeoutsAreReadFromTheHeader() {
        assertThat(LoopUpstreamClient.keepAliveTimeout("timeout=5, max=100", 60_000)).isEqualTo(5_000);
        assertThat(LoopUpstreamClient.keepAliveTimeout("max=100, Timeout=7", 60_000)).isEqualTo(7_000);
        assertThat(LoopUpstreamClient.keepAliveTimeout("timeout=", 60_000)).isEqualTo(60_000);
        assertThat(LoopUpstreamClient.keepAliveTimeout("timeout=0", 60_000)).isEqualTo(60_000);
        assertThat(LoopUpstreamClient.keepAliveTimeout(null, 60_000)).isEqualTo(60_000);
    }
}
