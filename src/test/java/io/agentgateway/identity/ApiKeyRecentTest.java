package io.agentgateway.identity;

import io.agentgateway.secret.SecretRef;
import io.agentgateway.secret.SecretStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key found once is found again without hashing it, and what the authenticator remembers never
 * outlives the key: a rotated or removed Secret refuses the old key at once, a near miss of a
 * remembered key is refused, and another key is found under its own principal.
 */
class ApiKeyRecentTest {
    @TempDir
    Path secrets;

    private static Credentials bearer(String token) {
        return new Credentials(MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token), List.of(), "127.0.0.1");
    }

    private static Optional<Principal> outcome(Future<Optional<Principal>> f) {
        assertThat(f.isComplete()).isTrue();
        return f.failed() ? null : f.result();
    }

    private void write(String name, String value) throws Exception {
        Files.createDirectories(secrets.resolve(name));
        Files.writeString(secrets.resolve(name).resolve("key"), value);
    }

    @Test
    void aRememberedKeyIsRefusedOnceItsSecretRotatesOrGoes() throws Exception {
        write("team-a", "sk-team-a-0000000000000001");
        write("team-b", "sk-team-b-0000000000000002");
        SecretStore store = new SecretStore(secrets, name -> null);
        SecretRef a = store.ref("team-a", "key");
        SecretRef b = store.ref("team-b", "key");
        ApiKeyAuthenticator auth = new ApiKeyAuthenticator(List.of(
                new ApiKeyAuthenticator.Key("a", a, null, "team-a", "agent"),
                new ApiKeyAuthenticator.Key("b", b, null, "team-b", null)), null);

        for (int i = 0; i < 3; i++) {
            assertThat(outcome(auth.authenticate(bearer("sk-team-a-0000000000000001")))).get()
                    .extracting(Principal::namespace).isEqualTo("team-a");
            assertThat(outcome(auth.authenticate(bearer("sk-team-b-0000000000000002")))).get()
                    .extracting(Principal::namespace).isEqualTo("team-b");
            // One character off a remembered key, at its end: not the key.
            assertThat(outcome(auth.authenticate(bearer("sk-team-a-0000000000000009")))).isNull();
        }

        write("team-a", "sk-team-a-rotated-00000003");
        store.directory(secrets);
        assertThat(outcome(auth.authenticate(bearer("sk-team-a-0000000000000001")))).as("the old key after rotation").isNull();
        assertThat(outcome(auth.authenticate(bearer("sk-team-a-rotated-00000003")))).get()
                .extracting(Principal::namespace).isEqualTo("team-a");

        Files.delete(secrets.resolve("team-b").resolve("key"));
        store.directory(secrets);
        assertThat(outcome(auth.authenticate(bearer("sk-team-b-0000000000000002")))).as("the key of a Secret gone").isNull();
    }
}
