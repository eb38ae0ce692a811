package io.agentgateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentgateway.budget.Budgets;
import io.agentgateway.budget.Reservation;
import io.agentgateway.identity.Authentication;
import io.agentgateway.policy.Decision;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GovernanceChain;
import io.agentgateway.server.InFlight;
import io.agentgateway.server.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An audit event lists an exchange's attributes in the order the exchange recorded them, the
 * same in every event and every run (not in an order a hash table picks), and keeps what was
 * recorded when the exchange completed even if the exchange records more afterwards.
 */
class AuditAttributeOrderTest {
    static Vertx vertx;
    static HttpServer server;
    static GovernanceChain chain;
    static CompletableFuture<Exchange> arrived;

    @BeforeAll
    static void start() throws Exception {
        Budgets budgets = (principal, resource, estimate) -> Future.succeededFuture(Reservation.NONE);
        chain = new GovernanceChain(Authentication.NONE, (principal, resource, facts) -> Decision.ALLOW_DEFAULT, budgets,
                e -> { }, Clock.systemUTC(), new InFlight());
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(r -> {
            arrived.complete(chain.start(r, "a2a", Protocol.A2A));
            r.response().end();
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    static Exchange exchange() throws Exception {
        arrived = new CompletableFuture<>();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/x")).build(),
                HttpResponse.BodyHandlers.discarding());
        return arrived.get(10, TimeUnit.SECONDS);
    }

    @Test
    void attributesAreWrittenInTheOrderRecorded() throws Exception {
        AuditEventWriter writer = new AuditEventWriter("gw-1");
        ObjectMapper json = new ObjectMapper();
        for (int run = 0; run < 3; run++) {
            Exchange ex = exchange();
            List<String> names = new ArrayList<>();
            // Names in descending order, more than a small hash table holds: no hash order keeps them so.
            for (int i = 0; i < 16; i++) {
                String name = "fact." + (char) ('p' - i) + run;
                names.add(name);
                ex.attribute(name, i % 2 == 0 ? (Object) i : "v" + i);
            }
            AuditRecord record = AuditRecord.of(ex, null);
            ex.attribute("after.completion", true);
            AuditLines lines = new AuditLines();
            String hash = writer.write(record, AuditEvents.GENESIS, lines);
            assertThat(lines.count()).isEqualTo(1);
            JsonNode event = json.readTree(lines.line(0));
            assertThat(event.get("hash").asText()).isEqualTo(hash);
            List<String> written = new ArrayList<>();
            event.get("attributes").fieldNames().forEachRemaining(written::add);
            assertThat(written).containsExactlyElementsOf(names);
            assertThat(event.get("attributes").get(names.get(0)).asInt()).isZero();
            assertThat(event.get("attributes").get(names.get(1)).asText()).isEqualTo("v1");
        }
    }
}
