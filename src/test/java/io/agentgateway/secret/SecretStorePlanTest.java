package io.agentgateway.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Declaring a config's secrets reads and changes nothing; activating them is what makes them live. */
class SecretStorePlanTest {
    @TempDir
    Path dir;

    Path write(String folder, String name, String value) throws Exception {
        Path file = dir.resolve(folder).resolve(name).resolve("api-key");
        Files.createDirectories(file.getParent());
        Files.writeString(file, value + "\n");
        return dir.resolve(folder);
    }

    @Test
    void declaringReadsNothingAndLeavesTheStoreAsItWas() throws Exception {
        Path a = write("a", "openai", "from-a");
        Path b = write("b", "openai", "from-b");
        write("b", "anthropic", "new-in-b");
        SecretStore store = new SecretStore(null, Map.of("ANTHROPIC", "from-env")::get);
        store.activate(a, List.of(store.declare("openai", "api-key")));
        SecretRef live = store.declare("openai", "api-key");
        assertThat(live.current().reveal()).isEqualTo("from-a");

        // A plan for another secrets_dir sees the live reference and a new, unread one.
        assertThat(store.declare("openai", "api-key")).isSameAs(live);
        SecretRef planned = store.declare("anthropic", "api-key");
        assertThat(planned.resolved()).isFalse();
        assertThat(store.directory()).isEqualTo(a);
        assertThat(live.current().reveal()).isEqualTo("from-a");
        assertThat(store.declare("anthropic", "api-key")).as("not kept by the store until activated").isNotSameAs(planned);

        store.activate(b, List.of(live, planned));
        assertThat(store.directory()).isEqualTo(b);
        assertThat(live.current().reveal()).isEqualTo("from-b");
        assertThat(planned.current().reveal()).isEqualTo("new-in-b");
        assertThat(store.declare("anthropic", "api-key")).isSameAs(planned);
    }
}
