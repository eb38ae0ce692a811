package io.agentgateway.mcp;

import io.agentgateway.identity.Principal;
import io.agentgateway.secret.SecretStore;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SessionCodecTest {
    static final Principal ALICE = Principal.serviceAccount("dev-team", "alice", "api_key", Map.of());

    static McpSession session() {
        Map<String, String> upstreams = new LinkedHashMap<>();
        upstreams.put("fs", McpSession.upstream("2025-06-18", "upstream-session-123"));
        upstreams.put("local", McpSession.upstream("2025-11-25", null));
        return new McpSession(McpSession.principalKey(ALICE), "*", "2025-06-18", upstreams, 1_800_000_000L, 1_800_086_400L, 3600);
    }

    @Test
    void roundTripsAndHidesTheUpstreamSessionIds() {
        SessionCodec codec = new SessionCodec(null, SessionCodec.randomKey());
        String id = codec.seal(session());
        assertThat(id).startsWith("v1.").doesNotContain("upstream-session-123").matches("[\\x21-\\x7e]+");
        McpSession back = codec.open(id);
        assertThat(back).isEqualTo(session());
        assertThat(back.upstreamSession("fs")).isEqualTo("upstream-session-123");
        assertThat(back.upstreamVersion("fs")).isEqualTo("2025-06-18");
        assertThat(back.upstreamSession("local")).isNull();
        assertThat(new java.util.ArrayList<>(back.upstreams().keySet())).containsExactly("fs", "local");
    }

    @Test
    void sealsDifferentlyEachTimeSoIdsAreNotLinkable() {
        SessionCodec codec = new SessionCodec(null, SessionCodec.randomKey());
        assertThat(codec.seal(session())).isNotEqualTo(codec.seal(session()));
    }

    @Test
    void anyChangedCharacterOrAnotherKeyDoesNotOpen() {
        byte[] key = SessionCodec.randomKey();
        SessionCodec codec = new SessionCodec(null, key);
        String id = codec.seal(session());
        for (int i = 3; i < id.length(); i++) {
            char c = id.charAt(i) == 'A' ? 'B' : 'A';
            assertThat(codec.open(id.substring(0, i) + c + id.substring(i + 1))).as("changed at %d", i).isNull();
        }
        assertThat(new SessionCodec(null, SessionCodec.randomKey()).open(id)).isNull();
        assertThat(new SessionCodec(null, key).open(id)).isEqualTo(session());
    }

    @Test
    void aRememberedIdStillOpensOnlyUnderTheKeyItWasSealedWith() {
        Map<String, String> env = new java.util.HashMap<>(Map.of(SecretStore.envName("mcp-sessions"), "first-key"));
        SecretStore store = new SecretStore(null, env::get);
        SessionCodec codec = new SessionCodec(store.ref("mcp-sessions", "key"), SessionCodec.randomKey());
        String id = codec.seal(session());
        assertThat(codec.open(id)).isEqualTo(session());
        assertThat(codec.open(id)).as("opened again, now remembered").isEqualTo(session());
        String tampered = id.substring(0, id.length() - 1) + (id.endsWith("A") ? "B" : "A");
        assertThat(codec.open(tampered)).isNull();
        assertThat(codec.open(tampered)).as("an id that did not open is not remembered as one that did").isNull();

        env.put(SecretStore.envName("mcp-sessions"), "rotated-key");
        store.directory(null);
        assertThat(codec.open(id)).as("sealed under the old key: no longer a session, remembered or not").isNull();
        assertThat(codec.open(codec.seal(session()))).isEqualTo(session());
    }

    @Test
    void garbageIsNotASession() {
        SessionCodec codec = new SessionCodec(null, SessionCodec.randomKey());
        for (String s : new String[]{"", "v1.", "v1.!!!", "v2." + "A".repeat(60), "made-up", "v1." + "A".repeat(20000)}) {
            assertThat(codec.open(s)).as(s).isNull();
        }
        assertThat(codec.open(null)).isNull();
    }

    @Test
    void principalKeysDifferPerCallerAndHideWhoItIs() {
        Principal bob = Principal.serviceAccount("dev-team", "bob", "api_key", Map.of());
        assertThat(McpSession.principalKey(ALICE)).isNotEqualTo(McpSession.principalKey(bob))
                .isEqualTo(McpSession.principalKey(ALICE)).doesNotContain("alice");
    }
}
