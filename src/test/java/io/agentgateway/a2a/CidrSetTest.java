package io.agentgateway.a2a;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trusted proxies by address and range; host names never resolved; forwarded hosts checked. */
class CidrSetTest {
    @Test
    void addressesAndRanges() {
        CidrSet set = CidrSet.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertThat(set.contains("10.200.3.4")).isTrue();
        assertThat(set.contains("11.0.0.1")).isFalse();
        assertThat(set.contains("192.168.1.7")).isTrue();
        assertThat(set.contains("192.168.1.8")).isFalse();
        assertThat(set.contains("fd12:3456::1")).isTrue();
        assertThat(set.contains("fe80::1")).isFalse();
        assertThat(set.contains("::ffff:10.1.2.3")).as("IPv4-mapped IPv6").isTrue();
        assertThat(set.contains("localhost")).isFalse();
        assertThat(set.contains(null)).isFalse();
        assertThat(CidrSet.of(List.of("0.0.0.0/0")).contains("8.8.8.8")).isTrue();
        assertThat(CidrSet.of(List.of("10.0.0.0/12")).contains("10.15.255.255")).isTrue();
        assertThat(CidrSet.of(List.of("10.0.0.0/12")).contains("10.16.0.0")).isFalse();
    }

    @Test
    void badEntriesAreRefused() {
        assertThatThrownBy(() -> CidrSet.of(List.of("10.0.0.0/33"))).hasMessageContaining("prefix is longer");
        assertThatThrownBy(() -> CidrSet.of(List.of("1.2.3"))).hasMessageContaining("not an IP address");
    }

    @Test
    void forwardedHostsMustBeHostsAndPorts() {
        assertThat(ExternalAddress.isHostAndPort("agents.example.com")).isTrue();
        assertThat(ExternalAddress.isHostAndPort("agents.example.com:8443")).isTrue();
        assertThat(ExternalAddress.isHostAndPort("[::1]:8082")).isTrue();
        assertThat(ExternalAddress.isHostAndPort("evil.com/x")).isFalse();
        assertThat(ExternalAddress.isHostAndPort("user@evil.com")).isFalse();
        assertThat(ExternalAddress.isHostAndPort("a:b")).isFalse();
        assertThat(ExternalAddress.isHostAndPort("a:123456")).isFalse();
        assertThat(ExternalAddress.isHostAndPort("")).isFalse();
    }
}
