package io.agentgateway.it;

import io.agentgateway.testing.Await;
import io.agentgateway.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-pressure you can see: with the default {@code connection_pool}, 2,000 concurrent streams
 * all reach a slow upstream at once (the upstream holds every stream open until it has seen all of
 * them); with a small pool, the requests past it wait in the visible queue and, past
 * {@code max_waiting}, get a quick 503 with {@code Retry-After}.
 */
class ConcurrentStreamsIT {
    static final int STREAMS = 2_000;
    static Vertx upstreamVertx;
    static HttpServer upstream;
    static final AtomicInteger open = new AtomicInteger();
    static final AtomicInteger mostAtOnce = new AtomicInteger();
    static final ConcurrentLinkedQueue<HttpServerResponse> held = new ConcurrentLinkedQueue<>();
    static volatile int releaseAt = STREAMS;
    static TestGateway gateway;

    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n";

    @BeforeAll
    static void start() {
        upstreamVertx = Vertx.vertx();
        // A slow SSE upstream: it answers each stream's head at once, then sends nothing until
        // releaseAt streams are open at the same time; then every stream gets its chunk and ends.
        upstream = upstreamVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            HttpServerResponse r = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
            r.write(": opened\n\n");
            held.add(r);
            int now = open.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            if (now >= releaseAt) {
                for (HttpServerResponse h; (h = held.poll()) != null; ) {
                    open.decrementAndGet();
                    h.write(CHUNK);
                    h.end("data: [DONE]\n\n");
                }
            }
        })).listen(0, "127.0.0.1").await();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: slow, type: openai_compatible, base_url: "http://127.0.0.1:%d/v1", timeout: 120s}
                    - name: narrow
                      type: openai_compatible
                      base_url: "http://127.0.0.1:%d/v1"
                      models: ["narrow-*"]
                      connection_pool: {max_connections: 4, max_waiting: 2, wait_timeout: 30s}
                  models:
                    - {name: "narrow-*", provider: narrow}
                    - {name: "*", provider: slow}
                """.formatted(upstream.actualPort(), upstream.actualPort()), Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstreamVertx.close().await();
    }

    private static Future<Integer> stream(HttpClient client, String model, List<String> bodies) {
        String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(gateway.url("llm") + "/v1/chat/completions")
                        .putHeader("content-type", "application/json"))
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> {
                    bodies.add(resp.statusCode() + " " + resp.getHeader("retry-after") + " " + b.toString());
                    return resp.statusCode();
                }));
    }

    @Test
    void twoThousandStreamsReachASlowUpstreamAtOnceWithTheDefaults() throws Exception {
        releaseAt = STREAMS;
        mostAtOnce.set(0);
        Vertx clients = Vertx.vertx();
        try {
            HttpClient client = clients.createHttpClient(new HttpClientOptions().setKeepAlive(false).setIdleTimeout(120),
                    new PoolOptions().setHttp1MaxSize(STREAMS + 10));
            List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                all.add(stream(client, "gpt-4o", bodies));
            }
            Future.all(all).await(120, TimeUnit.SECONDS);
            assertThat(mostAtOnce.get()).as("streams the upstream held open at once").isEqualTo(STREAMS);
            assertThat(bodies).hasSize(STREAMS).allSatisfy(b -> assertThat(b).startsWith("200").contains("\"content\":\"hi\"").endsWith("data: [DONE]\n\n"));
        } finally {
            clients.close().await();
        }
    }

    @Test
    void pastMaxWaitingARequestGetsAQuick503WithRetryAfter() throws Exception {
        releaseAt = Integer.MAX_VALUE;
        Vertx clients = Vertx.vertx();
        try {
            HttpClient client = clients.createHttpClient(new HttpClientOptions().setKeepAlive(false), new PoolOptions().setHttp1MaxSize(20));
            List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
            // max_connections 4: four streams are held by the upstream, two more wait (max_waiting 2) ...
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                admitted.add(stream(client, "narrow-1", bodies));
            }
            Await.until("four streams held by the upstream", () -> open.get() == 4);
            Await.until("two requests waiting", () -> gatewayMetrics()
                    .contains("agentgateway_upstream_requests_waiting{upstream=\"narrow\",upstream_kind=\"llm\"} 2.0"));
            assertThat(gatewayMetrics()).contains("agentgateway_upstream_connections_in_use{upstream=\"narrow\",upstream_kind=\"llm\"} 4.0");

            // ... and the next one is refused at once, though wait_timeout is 30 s.
            long t0 = System.nanoTime();
            int status = stream(client, "narrow-1", bodies).await(10, TimeUnit.SECONDS);
            assertThat(status).isEqualTo(503);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("a refusal does not wait").isLessThan(5_000);
            assertThat(bodies).singleElement().asString().startsWith("503 30 ").contains("narrow is at its connection limit")
                    .contains("2 requests are already waiting");
            assertThat(gatewayMetrics()).contains(
                    "agentgateway_upstream_rejected_total{reason=\"queue_full\",upstream=\"narrow\",upstream_kind=\"llm\"} 1.0");
            assertThat(open.get()).as("the refused request never reached the upstream").isEqualTo(4);

            // The upstream lets go: the held streams end, the two waiters get their places and finish.
            releaseAt = 1;
            upstreamVertx.runOnContext(v -> {
                for (HttpServerResponse h; (h = held.poll()) != null; ) {
                    open.decrementAndGet();
                    h.write(CHUNK);
                    h.end("data: [DONE]\n\n");
                }
            });
            Future.all(admitted).await(60, TimeUnit.SECONDS);
            assertThat(admitted).allSatisfy(f -> assertThat(f.result()).isEqualTo(200));
            assertThat(gatewayMetrics()).contains("agentgateway_upstream_connection_wait_seconds_count{upstream=\"narrow\",upstream_kind=\"llm\"} 6");
        } finally {
            clients.close().await();
        }
    }

    private static String gatewayMetrics() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.adminUrl() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
