package io.agentgateway.server;

import io.agentgateway.budget.BudgetExceededException;
import io.agentgateway.budget.Budgets;
import io.agentgateway.budget.Reservation;
import io.agentgateway.core.Usage;
import io.agentgateway.identity.Authentication;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.policy.Resource;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's steps in their order, whether each completes at once or later, and the end of a
 * run exactly once: a step that throws, a refused budget, a step that fails after waiting.
 */
class ChainRunTest {
    private static final String AUTHORIZE = "authorize " + Principal.ANONYMOUS.namespace();
    static final List<String> steps = new CopyOnWriteArrayList<>();
    static final List<Exchange> completed = new CopyOnWriteArrayList<>();
    static final List<Reservation> reconciled = new CopyOnWriteArrayList<>();
    static Vertx vertx;
    static HttpServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        PolicyEngine policies = (principal, resource, facts) -> {
            steps.add("authorize " + principal.namespace());
            return resource.id().equals("agent:team/locked") ? Decision.deny("locked", "locked") : Decision.allow("open");
        };
        Budgets budgets = (principal, resource, estimate) -> {
            steps.add("reserve " + estimate.totalTokens());
            if (resource.id().equals("agent:team/spent")) {
                return Future.failedFuture(new BudgetExceededException("calls", "spent", Duration.ofSeconds(3),
                        MultiMap.caseInsensitiveMultiMap().add("x-ratelimit-remaining-requests", "0")));
            }
            Reservation r = new Reservation() {
                @Override
                public void reconcile(Usage actual) {
                    steps.add("reconcile " + actual.totalTokens());
                    reconciled.add(this);
                }

                @Override
                public void writeHeaders(MultiMap headers) {
                    headers.add("x-ratelimit-remaining-requests", "9");
                }
            };
            // A store that answers later, as Redis does.
            Promise<Reservation> later = Promise.promise();
            vertx.setTimer(5, t -> later.complete(r));
            return later.future();
        };
        GovernanceChain chain = new GovernanceChain(Authentication.NONE, policies, budgets, completed::add,
                Clock.systemUTC(), new InFlight());
        server = vertx.createHttpServer().requestHandler(request -> {
            request.pause();
            Exchange ex = chain.start(request, "test", Protocol.A2A);
            chain.run(ex, new Flow(request.path().substring(1)));
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void clear() {
        steps.clear();
        completed.clear();
        reconciled.clear();
    }

    /** A flow named by the request path: which agent it calls, and how its steps behave. */
    record Flow(String agent) implements ExchangeFlow {
        @Override
        public Future<Void> classify(Exchange ex) {
            steps.add("classify");
            if (agent.equals("throws")) {
                throw new IllegalStateException("a bug in classify");
            }
            ex.resource(new Resource.Agent("team", agent)).estimatedTokens(7);
            // The body arrives later.
            return RequestBodies.read(ex.request(), 1024).mapEmpty();
        }

        @Override
        public Future<Void> forward(Exchange ex) {
            steps.add("forward");
            if (agent.equals("fails-late")) {
                Promise<Void> failed = Promise.promise();
                vertx.setTimer(5, t -> failed.fail(new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "bad_gateway", "it broke", null, null)));
                return failed.future();
            }
            ex.usage(Usage.of(3, 4));
            if (agent.equals("answers-late")) {
                Promise<Void> answered = Promise.promise();
                vertx.setTimer(5, t -> ex.response().end("forwarded").onComplete(answered));
                return answered.future();
            }
            ex.response().end("forwarded");
            return Future.succeededFuture();
        }

        @Override
        public ErrorRenderer errors() {
            return (ex, error) -> ErrorRenderer.endJson(ex, error, Buffer.buffer("{\"error\":\"" + error.code() + "\"}"));
        }
    }

    private static HttpResponse<String> post(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        io.agentgateway.testing.Await.until("the exchange completed", () -> !completed.isEmpty());
        return r;
    }

    /** What a run gave: the response the client got and the exchange the chain completed. */
    record Run(HttpResponse<String> response, Exchange exchange) {
    }

    /** Posts to {@code path}; the run answers {@code status} after exactly {@code expectedSteps}, and ends once. */
    private static Run run(String path, int status, String... expectedSteps) throws Exception {
        HttpResponse<String> r = post(path);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(steps).containsExactly(expectedSteps);
        assertThat(completed).hasSize(1);
        return new Run(r, completed.get(0));
    }

    @Test
    void everyStepRunsInOrderWhetherItCompletesAtOnceOrLater() throws Exception {
        Run run = run("/open", 200, "classify", AUTHORIZE, "reserve 7", "forward", "reconcile 7");
        assertThat(run.response().body()).isEqualTo("forwarded");
        assertThat(run.response().headers().firstValue("x-ratelimit-remaining-requests")).hasValue("9");
        assertThat(run.response().headers().firstValue("x-request-id")).get().asString().hasSize(32).matches("[0-9a-f]{32}");
        assertThat(run.exchange().principal()).isEqualTo(Principal.ANONYMOUS);
        assertThat(run.exchange().status()).isEqualTo(200);
    }

    @Test
    void aForwardThatAnswersLaterEndsTheRunOnceWithoutAnError() throws Exception {
        Run run = run("/answers-late", 200, "classify", AUTHORIZE, "reserve 7", "forward", "reconcile 7");
        assertThat(run.exchange().error()).isNull();
        assertThat(run.exchange().status()).isEqualTo(200);
    }

    @Test
    void aStepThatThrowsEndsTheRunOnceWithAnInternalError() throws Exception {
        Run run = run("/throws", 500, "classify");
        assertThat(run.exchange().error().code()).isEqualTo("internal_error");
    }

    @Test
    void aRefusedCallNeverReachesTheBudgetOrTheUpstream() throws Exception {
        Run run = run("/locked", 403, "classify", AUTHORIZE);
        assertThat(run.exchange().decision().allowed()).isFalse();
    }

    @Test
    void aSpentBudgetIsA429AndNothingIsForwarded() throws Exception {
        Run run = run("/spent", 429, "classify", AUTHORIZE, "reserve 7");
        assertThat(run.response().headers().firstValue("retry-after")).hasValue("3");
    }

    @Test
    void aForwardThatFailsLaterIsRenderedAndTheReservationStillSettled() throws Exception {
        Run run = run("/fails-late", 502, "classify", AUTHORIZE, "reserve 7", "forward", "reconcile 0");
        assertThat(reconciled).hasSize(1);
        assertThat(run.exchange().status()).isEqualTo(502);
    }
}
