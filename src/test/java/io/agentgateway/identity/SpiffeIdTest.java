package io.agentgateway.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpiffeIdTest {
    @Test
    void kubernetesFormNamesNamespaceAndServiceAccount() {
        assertThat(SpiffeId.parse("spiffe://cluster.local/ns/dev-team/sa/code-assistant"))
                .isEqualTo(new SpiffeId("cluster.local", "dev-team", "code-assistant"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://cluster.local/ns/a/sa/b",
            "spiffe:///ns/a/sa/b",
            "spiffe://cluster.local",
            "spiffe://cluster.local/ns/a",
            "spiffe://cluster.local/ns/a/sa/b/extra",
            "spiffe://cluster.local/sa/b/ns/a",
            "spiffe://cluster.local/ns/Dev_Team/sa/b",
            "spiffe://cluster.local/ns/a/sa/",
            "spiffe://Cluster.Local/ns/a/sa/b",
            "spiffe://cluster.local/ns/a/sa/b?x=1",
            "spiffe://cluster.local/ns/a%2Fb/sa/c"})
    void malformedIdsAreRefused(String id) {
        assertThatThrownBy(() -> SpiffeId.parse(id)).isInstanceOf(IllegalArgumentException.class);
    }
}
