package io.agentgateway.secret;

import io.agentgateway.kube.KubernetesSecrets;
import io.agentgateway.testing.FakeKubeApiServer;
import io.agentgateway.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets that are not mounted come from the Kubernetes API (the gateway's own namespace), over
 * TLS with the cluster CA and the pod's token, before the environment; a mounted file still wins,
 * and a value once read survives an API outage.
 */
class KubernetesSecretFallbackTest {
    FakeKubeApiServer api;
    SecretStore store;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = TestPki.create("cluster");
        api = FakeKubeApiServer.start(Clock.systemUTC(), null, pki, dir).acceptCaller("gateway-sa-token");
        api.putSecret("ai-platform", "openai-credentials", Map.of("api-key", "sk-from-the-api\n"));
        api.putSecret("other-namespace", "stolen", Map.of("api-key", "not-ours"));
        Path token = Files.writeString(dir.resolve("token"), "gateway-sa-token\n");
        Path ca = pki.writeCertificate(dir.resolve("ca.crt"));
        KubernetesSecrets reader = new KubernetesSecrets(URI.create(api.url()), ca, token, "ai-platform");
        store = new SecretStore(dir.resolve("secrets"), Map.of("ONLY_IN_ENV", "from-env", "OPENAI_CREDENTIALS", "env-loses")::get, reader, 0);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aSecretThatIsNotMountedIsReadFromTheApiBeforeTheEnvironment() {
        SecretRef ref = store.ref("openai-credentials", "api-key");
        assertThat(ref.current().reveal()).isEqualTo("sk-from-the-api");
        assertThat(ref.source()).isEqualTo("kubernetes api");
    }

    @Test
    void aMissingSecretFallsThroughToTheEnvironment() {
        SecretRef ref = store.ref("only-in-env", "api-key");
        assertThat(ref.current().reveal()).isEqualTo("from-env");
        assertThat(store.ref("stolen", "api-key").resolved()).isFalse();
    }

    @Test
    void aMountedFileWins() throws Exception {
        Files.createDirectories(dir.resolve("secrets/openai-credentials"));
        Files.writeString(dir.resolve("secrets/openai-credentials/api-key"), "from-file");
        assertThat(store.ref("openai-credentials", "api-key").current().reveal()).isEqualTo("from-file");
    }

    @Test
    void aValueReadOnceSurvivesAnApiOutage() {
        SecretRef ref = store.ref("openai-credentials", "api-key");
        api.failWith(503);
        int reads = api.secretReads();
        store.directory(dir.resolve("secrets"));   // re-resolves every secret now
        assertThat(api.secretReads()).as("the API was asked again").isGreaterThan(reads);
        assertThat(ref.current().reveal()).isEqualTo("sk-from-the-api");
    }
}
