package io.agentgateway.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConstantTimeTest {
    @Test
    void comparesEveryCharacterAndTheLength() {
        assertThat(ConstantTime.equal("abc", "abc")).isTrue();
        assertThat(ConstantTime.equal("abc", "abd")).isFalse();
        assertThat(ConstantTime.equal("xbc", "abc")).isFalse();
        assertThat(ConstantTime.equal("abc", "abcd")).isFalse();
        assertThat(ConstantTime.equal("", "")).isTrue();
    }
}
