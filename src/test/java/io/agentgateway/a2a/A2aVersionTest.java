package io.agentgateway.a2a;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class A2aVersionTest {
    @Test
    void onlyPlainVersionNumbersAreAccepted() {
        for (String ok : new String[]{"1.0", "0.3", "0.3.0", "10.20.30"}) {
            assertThat(A2aVersion.valid(ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{"", "1", "1.", ".1", "1..0", "1.0.0.0", "v1.0", "1.0 ", "1.0,0.3", "1".repeat(17) + ".0"}) {
            assertThat(A2aVersion.valid(bad)).as(bad).isFalse();
        }
    }

    @Test
    void anInterfaceServesCallersOfItsMajorAndMinor() {
        assertThat(A2aVersion.serves("1.0", "1.0")).isTrue();
        assertThat(A2aVersion.serves("1.0", "1.0.2")).isTrue();
        assertThat(A2aVersion.serves("0.3.0", null)).as("no header is 0.3").isTrue();
        assertThat(A2aVersion.serves("0.3.0", "1.0")).isFalse();
        assertThat(A2aVersion.serves(null, "1.0")).isFalse();
    }
}
