package io.agentgateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

/** ${VAR} and ${VAR:-default} in values, replaced from the (injected) environment. */
class EnvInterpolationTest {

    /** Block style: in flow style ({...}) an unquoted ${VAR} is a YAML syntax error. */
    private static final String PROVIDER = LISTENER + """
            llm:
              providers:
                - name: openai
                  type: openai
                  api_key_secret: %s
            """;

    private static String secretName(String value, Map<String, String> env) throws ConfigException {
        return load(PROVIDER.formatted(value), env).llm().providers().get(0).apiKeySecret();
    }

    @Test
    void aSetVariableIsReplaced() throws ConfigException {
        assertThat(secretName("${OPENAI_SECRET}", Map.of("OPENAI_SECRET", "team-a-openai"))).isEqualTo("team-a-openai");
    }

    @Test
    void variablesMayBeEmbeddedAndRepeated() throws ConfigException {
        assertThat(secretName("\"${TEAM}-${KIND}-${TEAM}\"", Map.of("TEAM", "a", "KIND", "openai")))
                .isEqualTo("a-openai-a");
    }

    @Test
    void anUnsetVariableTakesItsDefault() throws ConfigException {
        assertThat(secretName("${OPENAI_SECRET:-openai-credentials}", Map.of())).isEqualTo("openai-credentials");
    }

    @Test
    void anEmptyVariableTakesItsDefaultLikeTheShell() throws ConfigException {
        assertThat(secretName("${OPENAI_SECRET:-openai-credentials}", Map.of("OPENAI_SECRET", "")))
                .isEqualTo("openai-credentials");
    }

    @Test
    void aSetVariableWinsOverItsDefault() throws ConfigException {
        assertThat(secretName("${OPENAI_SECRET:-openai-credentials}", Map.of("OPENAI_SECRET", "mine"))).isEqualTo("mine");
    }

    @Test
    void anEmptyDefaultIsAllowed() throws ConfigException {
        assertThat(secretName("\"x${SUFFIX:-}\"", Map.of())).isEqualTo("x");
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAnErrorAtItsPathReportedOnce() {
        // before, the raw "${PORT}" was also checked as a number: the same mistake reported twice
        assertThat(errors("listeners: [{name: llm, port: \"${LLM_PORT}\", protocol: HTTP}]\n"))
                .containsExactly("listeners[0].port: environment variable LLM_PORT is not set");
    }

    @Test
    void everyUnsetVariableIsReported() {
        assertThat(errors(LISTENER + """
                mcp:
                  servers:
                    - name: fs
                      transport: streamable_http
                      url: ${FS_URL}
                    - name: everything
                      transport: stdio
                      command: [npx, "${PKG}"]
                """)).containsExactly(
                "mcp.servers[0].url: environment variable FS_URL is not set",
                "mcp.servers[1].command[1]: environment variable PKG is not set");
    }

    @Test
    void doubleDollarIsALiteral() throws ConfigException {
        GatewayConfig c = load(LISTENER + """
                authorization:
                  policies:
                    - name: p
                      resources: ["model:*"]
                      action: allow
                      when: 'request.headers["x-tmpl"] == "$${NOT_A_VAR}"'
                """, Map.of("NOT_A_VAR", "replaced"));
        assertThat(c.authorization().policies().get(0).when()).isEqualTo("request.headers[\"x-tmpl\"] == \"${NOT_A_VAR}\"");
    }

    @Test
    void aDollarNotFollowedByABraceIsKept() throws ConfigException {
        assertThat(secretName("\"cost-$5-$HOME\"", Map.of("HOME", "/root"))).isEqualTo("cost-$5-$HOME");
    }

    @Test
    void aReplacedValueIsNotInterpolatedAgain() throws ConfigException {
        assertThat(secretName("${A}", Map.of("A", "${B}", "B", "no"))).isEqualTo("${B}");
    }

    @Test
    void valuesOfEveryTypeCanComeFromTheEnvironment() throws ConfigException {
        GatewayConfig c = load("""
                listeners: [{name: llm, port: "${PORT:-9090}", protocol: "${PROTO}"}]
                observability: {tracing: {enabled: "${TRACING}", endpoint: otel:4317, sampling_ratio: "${RATIO}"}}
                rate_limiting: [{name: a, limit: "${LIMIT}", window: "${WINDOW:-1h}"}]
                """, Map.of("PROTO", "MCP", "TRACING", "true", "RATIO", "0.25", "LIMIT", "1000"));
        assertThat(c.listeners().get(0).port()).isEqualTo(9090);
        assertThat(c.listeners().get(0).protocol()).isEqualTo(ListenerConfig.Protocol.MCP);
        assertThat(c.observability().tracing().enabled()).isTrue();
        assertThat(c.observability().tracing().samplingRatio()).isEqualTo(0.25);
        assertThat(c.rateLimiting().get(0).limit()).isEqualTo(1000L);
        assertThat(c.rateLimiting().get(0).window()).hasHours(1);
    }

    @Test
    void keysAreNotInterpolated() {
        assertThat(errors(LISTENER + "\"${SECTION}\": {}\n", Map.of("SECTION", "admin")))
                .singleElement().asString().startsWith("${SECTION}: unknown key");
    }

    @Test
    void anUnclosedReferenceIsAnError() {
        assertThat(errors(PROVIDER.formatted("\"${OPENAI_SECRET\""))).containsExactly(
                "llm.providers[0].api_key_secret: has an unclosed ${ (write $${ for a literal)");
    }

    @Test
    void anInvalidNameIsAnErrorNamingOnlyTheName() {
        assertThat(errors(PROVIDER.formatted("\"${OPENAI-SECRET:-fallback}\""))).containsExactly(
                "llm.providers[0].api_key_secret: \"OPENAI-SECRET\" is not a valid environment variable name");
    }

    @Test
    void theProcessEnvironmentIsUsedByDefault() throws ConfigException {
        String path = System.getenv("PATH");
        GatewayConfig c = ConfigLoader.fromEnvironment().parse(PROVIDER.formatted("\"${PATH}\""), null);
        assertThat(c.llm().providers().get(0).apiKeySecret()).isEqualTo(path);
    }
}
