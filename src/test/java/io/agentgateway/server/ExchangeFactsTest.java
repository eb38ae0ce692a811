package io.agentgateway.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed exchange facts: read back with their type, shown by name in {@code attributes()} (what
 * spans and audit events carry), refused on another protocol's exchange; and listeners told only
 * of the exchanges of the protocols they are for.
 */
class ExchangeFactsTest {
    static Vertx vertx;
    static HttpServer server;
    static CompletableFuture<HttpServerRequest> arrived;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(r -> {
            arrived.complete(r);
            r.response().end();
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** An exchange of {@code protocol} over a real request. */
    static Exchange exchange(Protocol protocol) throws Exception {
        arrived = new CompletableFuture<>();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/x")).build(),
                HttpResponse.BodyHandlers.discarding());
        return new Exchange("id", Instant.now(), System.nanoTime(), "listener", protocol, arrived.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFactIsReadBackTypedAndShownByItsName() throws Exception {
        Exchange ex = exchange(Protocol.MCP);
        ex.fact(Facts.Mcp.ERROR_CODE, -32601).fact(Facts.Mcp.TOOL, "read_file").fact(Facts.TRACE_ID, "abc");
        Integer code = ex.fact(Facts.Mcp.ERROR_CODE);
        assertThat(code).isEqualTo(-32601);
        assertThat(ex.fact(Facts.Mcp.SERVER)).isNull();
        assertThat(ex.attributes()).containsEntry("mcp.error_code", -32601).containsEntry("gen_ai.tool.name", "read_file")
                .containsEntry("trace_id", "abc");
        ex.fact(Facts.Mcp.TOOL, null);
        assertThat(ex.attributes()).doesNotContainKey("gen_ai.tool.name");
    }

    @Test
    void factsKeepTheOrderFirstRecordedAndTheCopyStaysAsTaken() throws Exception {
        Exchange ex = exchange(Protocol.A2A);
        // More names than a hash table's first size, in an order no hash order matches.
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "z" + (20 - i) + ".fact";
            names.add(name);
            ex.attribute(name, i);
        }
        ex.fact(Facts.A2a.TASK_ID, "t-1").fact(Facts.A2a.TASK_STATE, "working");
        names.add("a2a.task.id");
        names.add("a2a.task.state");
        // Recorded again: the new value, in its first place. A name built at run time finds it too.
        ex.fact(Facts.A2a.TASK_ID, "t-2");
        ex.attribute(new String("z20.fact"), "again");
        assertThat(ex.attributes().keySet()).containsExactlyElementsOf(names);
        assertThat(ex.fact(Facts.A2a.TASK_ID)).isEqualTo("t-2");
        assertThat(ex.attributes()).containsEntry("z20.fact", "again").hasSize(22);

        java.util.Map<String, Object> copy = ex.attributesCopy();
        // Removing one closes the gap; the others keep their order.
        ex.attribute("z15.fact", null);
        ex.fact(Facts.A2a.TASK_STATE, null);
        List<String> left = new ArrayList<>(names);
        left.remove("z15.fact");
        left.remove("a2a.task.state");
        assertThat(ex.attributes().keySet()).containsExactlyElementsOf(left);
        assertThat(ex.attributes()).doesNotContainKey("z15.fact").hasSize(20);
        ex.attribute("late", true);
        assertThat(ex.attributes().keySet()).last().isEqualTo("late");

        // The copy is what was recorded when it was taken, in that order, and cannot be changed.
        assertThat(copy.keySet()).containsExactlyElementsOf(names);
        assertThat(copy).containsEntry("z15.fact", 5).containsEntry("a2a.task.state", "working").doesNotContainKey("late");
        assertThat(copy).isEqualTo(new java.util.LinkedHashMap<>(copy)).hasSameHashCodeAs(java.util.Map.copyOf(copy));
        assertThatThrownBy(() -> copy.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> copy.remove("z1.fact")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ex.attributes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(exchange(Protocol.LLM).attributesCopy()).isEmpty();
    }

    @Test
    void anotherProtocolsFactIsRefused() throws Exception {
        Exchange ex = exchange(Protocol.LLM);
        assertThatThrownBy(() -> ex.fact(Facts.A2a.TASK_ID, "t-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a2a.task.id").hasMessageContaining("llm");
        assertThat(ex.attributes()).isEmpty();
    }

    @Test
    void aListenerIsToldOnlyOfTheProtocolsItIsFor() throws Exception {
        List<Protocol> mcpOnly = new ArrayList<>();
        List<Protocol> every = new ArrayList<>();
        ExchangeListener mcp = new ExchangeListener() {
            @Override
            public void onComplete(Exchange exchange) {
                mcpOnly.add(exchange.protocol());
            }

            @Override
            public Set<Protocol> protocols() {
                return EnumSet.of(Protocol.MCP);
            }
        };
        ExchangeListener all = ExchangeListener.all(List.of(mcp, e -> every.add(e.protocol())));
        for (Protocol p : Protocol.values()) {
            all.onComplete(exchange(p));
        }
        assertThat(mcpOnly).containsExactly(Protocol.MCP);
        assertThat(every).containsExactly(Protocol.values());
    }
}
