package io.agentgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "30s,   PT30S",
            "5m,    PT5M",
            "24h,   PT24H",
            "7d,    PT168H",
            "30d,   PT720H",
            "1h30m, PT1H30M",
            "1m500ms, PT1M0.5S",
            "0s,    PT0S"})
    void parsesTheConfigForms(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"24hours", "", " ", "1.5h", "-5s", "5 m", "h", "24H", "30", "1h30", "P1D"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is not a duration (like 500ms, 30s, 5m, 24h, 7d)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999999999d", "99999999999999999999s", "9223372036854775807ms1ms"})
    void rejectsDurationsTooLongForMillisecondsInsteadOfOverflowing(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("is too long to be a duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "30s", "5m", "23h", "7d", "1h30m", "1d2h3m4s5ms"})
    void formatIsTheInverseOfParse(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @Test
    void formatsNinetyMinutesAsHoursAndMinutes() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void aBadWindowIsReportedWithItsPathAndValue() {
        assertThat(errors(LISTENER + """
                rate_limiting:
                  - {name: a, limit: 10, window: 1h}
                  - {name: b, limit: 10, window: 24hours}
                """)).containsExactly(
                "rate_limiting[1].window: \"24hours\" is not a duration (like 500ms, 30s, 5m, 24h, 7d)");
    }

    @Test
    void aNumberWithoutUnitIsNotADuration() {
        assertThat(errors(LISTENER + "rate_limiting: [{name: a, limit: 10, window: 24}]\n")).containsExactly(
                "rate_limiting[0].window: 24 is not a duration (write a unit: 500ms, 30s, 5m, 24h, 7d)");
    }

    @Test
    void anOverlongWindowIsAnErrorNotACrash() {
        // parsed fine before, then Duration.toMillis() overflowed inside the validator
        assertThat(errors(LISTENER + "rate_limiting: [{name: a, limit: 10, window: 9999999999999999s}]\n"))
                .containsExactly("rate_limiting[0].window: \"9999999999999999s\" is too long to be a duration");
    }

    @Test
    void durationsWorkWhereverTheRecordsTakeThem() throws ConfigException {
        GatewayConfig c = load("""
                listeners: [{name: llm, port: 8080, protocol: HTTP, idle_timeout: 90s}]
                llm: {providers: [{name: o, type: openai, timeout: 5m, connect_timeout: 500ms}]}
                rate_limiting: [{name: a, limit: 10, window: 30d}]
                shutdown: {grace_period: 1h30m}
                """);
        assertThat(c.listeners().get(0).idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.llm().providers().get(0).timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.llm().providers().get(0).connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.rateLimiting().get(0).window()).isEqualTo(Duration.ofDays(30));
        assertThat(c.shutdown().gracePeriod()).isEqualTo(Duration.ofMinutes(90));
    }
}
