package io.agentgateway.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.exception;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §4: a secret value never appears in an error (nor in a rendered config). */
class SecretsInErrorsTest {
    private static final String TOKEN = "sk-live-0123456789abcdef";

    @Test
    void secretValuesAreNotEchoedByBindingErrors() {
        ConfigException e = exception(LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      headers:
                        Authorization: "Bearer ${TOKEN}"
                        x-bad: [not, a, scalar]
                mcp:
                  servers:
                    - name: stdio
                      transport: stdio
                      command: [server]
                      env: {GITHUB_TOKEN: "${TOKEN}", EMPTY: }
                """, Map.of("TOKEN", TOKEN));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "llm.providers[0].headers.x-bad: must be a single value, not a list",
                "mcp.servers[0].env.EMPTY: must not be empty (write \"\" for an empty value)");
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void secretValuesAreNotEchoedByValidationErrors() {
        ConfigException e = exception(LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, headers: {Authorization: "Bearer ${TOKEN}"}}
                    - {name: openai, type: openai, headers: {Authorization: "Bearer ${TOKEN}"}}
                mcp:
                  servers:
                    - {name: gh, transport: sse, headers: {Authorization: "Bearer ${TOKEN}"}}
                a2a:
                  agents:
                    - {name: x, namespace: Dev, headers: {Authorization: "${TOKEN}"}}
                """, Map.of("TOKEN", TOKEN));
        assertThat(e.errors()).extracting(ConfigError::path).containsExactly(
                "llm.providers[1].name", "mcp.servers[0].url", "a2a.agents[0].namespace");
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void userInfoInAUrlIsMaskedInErrors() {
        ConfigException e = exception(LISTENER + """
                rate_limit_store: {type: redis, url: "${REDIS_URL}"}
                llm: {providers: [{name: o, type: openai_compatible, base_url: "${BASE_URL}"}]}
                observability:
                  logging:
                    output: [{type: elasticsearch, endpoint: "${ES_URL}", index: audit}]
                """, Map.of(
                "REDIS_URL", "redis:/:" + TOKEN + "@redis:6379",
                "BASE_URL", "ftp://user:" + TOKEN + "@llm.internal/v1",
                "ES_URL", "elastic:" + TOKEN + "@es:9200"));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "llm.providers[0].base_url: \"ftp://****@llm.internal/v1\" is not an http:// or https:// URL",
                "rate_limit_store.url: \"redis:/****@redis:6379\" must start with redis:// or rediss://",
                // without "//" the user name reads as a scheme and stays; the password does not
                "observability.logging.output[0].endpoint: \"elastic:****@es:9200\" is not an http:// or https:// URL");
        assertThat(e.getMessage()).doesNotContain(TOKEN);
    }

    @Test
    void aUrlWithoutUserInfoIsShownAsWritten() {
        assertThat(ConfigValidator.shown("mcp.tools.svc:3000/mcp")).isEqualTo("mcp.tools.svc:3000/mcp");
        assertThat(ConfigValidator.shown("https://user:pw@host/x")).isEqualTo("https://****@host/x");
    }

    @Test
    void anInvalidVariableNameDoesNotEchoTheDefaultValue() {
        ConfigException e = exception(LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      headers: {Authorization: "Bearer ${OPENAI-KEY:-%s}"}
                """.formatted(TOKEN), Map.of());
        assertThat(e.getMessage()).doesNotContain(TOKEN).contains("\"OPENAI-KEY\" is not a valid environment variable name");
    }

    @Test
    void anUnclosedReferenceDoesNotEchoTheValue() {
        ConfigException e = exception(LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      headers: {Authorization: "Bearer %s ${TOKEN"}
                """.formatted(TOKEN), Map.of("TOKEN", TOKEN));
        assertThat(e.getMessage()).isEqualTo(
                "llm.providers[0].headers.Authorization: has an unclosed ${ (write $${ for a literal)");
    }

    @Test
    void secretsAreMaskedWhenTheConfigIsRendered() throws ConfigException {
        GatewayConfig c = load(LISTENER + """
                llm:
                  providers:
                    - name: openai
                      type: openai
                      headers: {Authorization: "Bearer ${TOKEN}"}
                mcp:
                  servers:
                    - {name: s, transport: stdio, command: [server], env: {GITHUB_TOKEN: "${TOKEN}"}}
                a2a:
                  agents:
                    - {name: x, namespace: dev-team, headers: {Authorization: "${TOKEN}"}}
                """, Map.of("TOKEN", TOKEN));
        assertThat(c.toString()).doesNotContain(TOKEN).contains("Authorization=****");
        assertThat(c.llm().providers().get(0).headers().get("Authorization").reveal()).isEqualTo("Bearer " + TOKEN);
        assertThat(c.mcp().servers().get(0).env().get("GITHUB_TOKEN").reveal()).isEqualTo(TOKEN);
        assertThat(c.a2a().agents().get(0).headers().get("Authorization").reveal()).isEqualTo(TOKEN);
    }
}
