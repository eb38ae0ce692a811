package io.agentgateway.runtime;

import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin port bound off loopback with no {@code admin.authentication}: {@code /api/*} is
 * refused with the way to open it. (The handler is served on loopback here: tests bind nothing else.)
 */
class AdminAccessTest {
    @Test
    void offLoopbackWithoutAuthenticationTheApiIsClosedAndSaysHowToOpenIt() throws Exception {
        GatewayConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                listeners: [{name: llm, address: 127.0.0.1, port: 0, protocol: HTTP}]
                admin: {address: 0.0.0.0, port: 15000}
                """, null);
        assertThat(config.admin().loopback()).isFalse();
        AdminAccess access = AdminAccess.compile(config, null, null);
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            router.route("/api/*").handler(access::handle);
            router.get("/api/config").handler(rc -> rc.response().end("{}"));
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/api/config")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("bound to 0.0.0.0").contains("admin.authentication.token_secret")
                    .contains("bind admin.address to 127.0.0.1");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void loopbackAddressesAreRecognised() throws Exception {
        for (String a : new String[]{"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) {
            assertThat(new io.agentgateway.config.AdminConfig(a, 0, null).loopback()).as(a).isTrue();
        }
        for (String a : new String[]{"0.0.0.0", "::", "10.0.0.5", "agentgateway.example"}) {
            assertThat(new io.agentgateway.config.AdminConfig(a, 0, null).loopback()).as(a).isFalse();
        }
    }
}
