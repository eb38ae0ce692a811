package io.agentgateway.upstream;

import io.agentgateway.config.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What an upstream really receives from {@link UpstreamRequest}, and when its connection place is given back. */
class UpstreamRequestTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static HttpClient client;
    private static final BlockingQueue<MultiMap> received = new ArrayBlockingQueue<>(16);

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            received.add(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
            req.body().onComplete(b -> req.response().end("ok " + req.uri()));
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        client = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().await(10, TimeUnit.SECONDS);
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Runs {@code call} on an event loop, as the gateway does, and waits for its outcome. */
    private static <T> T onLoop(Supplier<Future<T>> call) throws Exception {
        CompletableFuture<T> out = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                out.complete(ar.result());
            } else {
                out.completeExceptionally(ar.cause());
            }
        }));
        return out.get(10, TimeUnit.SECONDS);
    }

    private static String exchange(UpstreamRequest request, ConnectionGate gate) throws Exception {
        return onLoop(() -> request.open(client, gate).compose(HttpClientRequest::send).compose(r -> r.body())).toString();
    }

    @Test
    void theUpstreamGetsEachHeaderOnceLaterSettingsWinningAndTheTraceContextLast() throws Exception {
        MultiMap trace = MultiMap.caseInsensitiveMultiMap().set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        UpstreamRequest request = UpstreamRequest.to(base() + "/v1/x?q=1", HttpMethod.POST)
                .header("Content-Type", "text/plain")
                .header("content-type", "application/json")
                .header("accept", "text/event-stream")
                .header("X-Custom", "one")
                .header("x-custom", "two")
                .header("traceparent", "from-the-caller")
                .credential("authorization", "Bearer", Secret.of("sk-upstream"))
                .credentials(Map.of("X-Api-Key", Secret.of("configured")))
                .trace(trace);

        String body = exchange(request, gate(1));

        assertThat(body).isEqualTo("ok /v1/x?q=1");
        MultiMap h = received.poll(10, TimeUnit.SECONDS);
        assertThat(h.getAll("content-type")).containsExactly("application/json");
        assertThat(h.getAll("accept")).containsExactly("text/event-stream");
        assertThat(h.getAll("x-custom")).containsExactly("two");
        assertThat(h.getAll("authorization")).containsExactly("Bearer sk-upstream");
        assertThat(h.getAll("x-api-key")).containsExactly("configured");
        assertThat(h.getAll("traceparent")).containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void aRotatedSecretIsSentFromTheNextRequestOn() throws Exception {
        ConnectionGate gate = gate(1);
        for (String key : List.of("sk-first", "sk-second", "sk-first")) {
            exchange(UpstreamRequest.to(base() + "/", HttpMethod.GET).credential("authorization", "Bearer", Secret.of(key)), gate);
            assertThat(received.poll(10, TimeUnit.SECONDS).get("authorization")).isEqualTo("Bearer " + key);
        }
        exchange(UpstreamRequest.to(base() + "/", HttpMethod.GET).credential("api-key", null, Secret.of("bare")), gate);
        assertThat(received.poll(10, TimeUnit.SECONDS).get("api-key")).isEqualTo("bare");
    }

    @Test
    void oneSecretSentUnderTwoSchemesCarriesEachOnItsOwnCall() throws Exception {
        ConnectionGate gate = gate(1);
        Secret shared = Secret.of("sk-shared");
        for (String scheme : List.of("Bearer", "Token", "Bearer")) {
            exchange(UpstreamRequest.to(base() + "/", HttpMethod.GET).credential("authorization", scheme, shared), gate);
            assertThat(received.poll(10, TimeUnit.SECONDS).get("authorization")).isEqualTo(scheme + " sk-shared");
        }
        assertThat(shared.toString()).isEqualTo("****");
    }

    @Test
    void thePlaceIsGivenBackOnceTheAnswerIsRead() throws Exception {
        ConnectionGate gate = gate(1);
        for (int i = 0; i < 3; i++) {
            // One place, no waiting room: a place not given back would refuse the next call with a 503.
            assertThat(exchange(UpstreamRequest.to(base() + "/" + i, HttpMethod.GET), gate)).isEqualTo("ok /" + i);
            received.poll(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHeaderVertxRefusesToSendFailsTheCallAndGivesThePlaceBack() throws Exception {
        ConnectionGate gate = gate(1);
        UpstreamRequest bad = UpstreamRequest.to(base() + "/", HttpMethod.GET)
                .credentials(Map.of("x-api-key", Secret.of("line\r\nX-Injected: yes")));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> bad.open(client, gate).onComplete(ar -> failure.complete(ar.cause())));
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);

        assertThat(exchange(UpstreamRequest.to(base() + "/after", HttpMethod.GET), gate)).isEqualTo("ok /after");
        MultiMap h = received.poll(10, TimeUnit.SECONDS);
        assertThat(h.contains("x-injected")).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void anAbsoluteUrlGoesWhereVertxWouldSendIt() {
        assertThat(UpstreamRequest.to("http://example.com:8080/a/b?x=1&y=%20", HttpMethod.GET).target())
                .hasToString("http://example.com:8080/a/b?x=1&y=%20");
        assertThat(UpstreamRequest.to("https://example.com/mcp", HttpMethod.POST).target()).hasToString("https://example.com:443/mcp");
        assertThat(UpstreamRequest.to("http://example.com", HttpMethod.GET).target()).hasToString("http://example.com:80/");
        assertThat(UpstreamRequest.to("HTTPS://Example.com:9443", HttpMethod.GET).target()).hasToString("https://Example.com:9443/");
    }

    @Test
    void theHeadersReadBackAreACopyOfWhatWouldGoOut() {
        UpstreamRequest request = UpstreamRequest.to(base() + "/", HttpMethod.POST)
                .header("content-type", "application/json").credential("x-goog-api-key", null, Secret.of("g"));
        MultiMap copy = request.headers();
        assertThat(copy.get("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Goog-Api-Key")).isEqualTo("g");
        copy.set("content-type", "text/plain");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.header("absent")).isNull();
    }

    private static ConnectionGate gate(int maxConnections) {
        return ConnectionGate.create("test", "upstream", new ConnectionGate.Limits(maxConnections, 0, 1000), new SimpleMeterRegistry());
    }
}
