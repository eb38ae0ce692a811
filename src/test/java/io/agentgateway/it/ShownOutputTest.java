package io.agentgateway.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README comparison masks only what changes from run to run, and {@code ...} only where written. */
class ShownOutputTest {
    @Test
    void idsTimesAndBudgetsAreMaskedTheRestMustBeEqual() {
        String shown = "x-ratelimit-remaining-tokens: 998967\nx-ratelimit-reset-tokens: 21h13m25s\n"
                + "{\"id\":\"chatcmpl-mock1\",\"request_id\":\"95609a716fde333475dc9ca2d2934b7c\"}";
        assertThat(ShownOutput.matches(shown, "x-ratelimit-remaining-tokens: 12\nx-ratelimit-reset-tokens: 3m2s\n"
                + "{\"id\":\"chatcmpl-mock7f\",\"request_id\":\"00000000000000000000000000000001\"}\n")).isTrue();
        assertThat(ShownOutput.matches(shown, "x-ratelimit-remaining-tokens: 12\nx-ratelimit-reset-tokens: 3m2s\n"
                + "{\"id\":\"chatcmpl-mock7f\",\"request_id\":\"0000000000000000000000000000001\"}")).isFalse();
        assertThat(ShownOutput.matches("HTTP/1.1 403 Forbidden", "HTTP/1.1 429 Too Many Requests")).isFalse();
    }

    @Test
    void anEllipsisStandsForTextOnItsLineOrForWholeLines() {
        assertThat(ShownOutput.matches("{\"a\":1,...,\"z\":26}", "{\"a\":1,\"b\":2,\"z\":26}")).isTrue();
        assertThat(ShownOutput.matches("{\"a\":1,...,\"z\":26}", "{\"a\":1,\"b\":2,\"z\":27}")).isFalse();
        assertThat(ShownOutput.matches("first\n...\nlast", "first\nsecond\nthird\nlast")).isTrue();
        assertThat(ShownOutput.matches("first\n...\nlast", "first\nsecond\nthird\nlast but one")).isFalse();
        assertThat(ShownOutput.matches("", "something")).isFalse();
    }

    @Test
    void sessionsAreReadAsATerminalShowsThem() {
        var commands = ShellSession.parse("""
                text
                ```console
                $ curl -s x \\
                    -d '{"a":
                  1}'
                {"ok":true}
                $ echo hi
                hi
                ```
                """);
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).text()).isEqualTo("curl -s x \\\n    -d '{\"a\":\n  1}'");
        assertThat(commands.get(0).output()).isEqualTo("{\"ok\":true}");
        assertThat(commands.get(1).line()).isEqualTo(7);
    }
}
