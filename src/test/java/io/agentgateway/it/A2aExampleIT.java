package io.agentgateway.it;

import io.agentgateway.testing.A2aClient;
import io.agentgateway.testing.A2aWire;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/a2a.yaml starts as written (ports made ephemeral) and enforces the seed's rules. */
class A2aExampleIT {
    @Test
    void theExampleRunsAndRefusesDevTeamCallsIntoProduction() throws Exception {
        String yaml = Files.readString(Path.of("examples/a2a.yaml"))
                .replace("port: 8082", "port: 0").replace("port: 15000", "port: 0")
                .replace("address: 0.0.0.0", "address: 127.0.0.1");
        try (TestGateway gateway = TestGateway.start(yaml,
                Map.of("DEV_TEAM_A2A_KEY", "dev-secret", "PRODUCTION_A2A_KEY", "prod-secret"), Clock.systemUTC())) {
            A2aClient.Answer a = new A2aClient(gateway.url("a2a"), "dev-secret")
                    .post("/production/payments", A2aWire.sendRequest(1, "message/send", "refund order 7", null, null));
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.json().at("/error/data/policy").asText()).isEqualTo("cross-namespace-restricted");
        }
    }
}
