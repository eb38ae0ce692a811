package io.agentgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Strict binding: unknown keys, wrong types and missing keys, each reported with its full path. */
class BindingErrorsTest {

    @Test
    void unknownTopLevelKeySuggestsTheNearestKey() {
        assertThat(errors(LISTENER + "ratelimiting: []\n"))
                .containsExactly("ratelimiting: unknown key (did you mean rate_limiting?)");
    }

    @Test
    void unknownKeyDeepInsideListsCarriesEveryIndex() {
        assertThat(errors(LISTENER + """
                observability:
                  logging:
                    output:
                      - type: stdout
                      - {type: elasticsearch, endpoint: https://es:9200, indx: audit}
                """)).containsExactly("observability.logging.output[1].indx: unknown key (did you mean index?)",
                // an unknown key no longer hides the cross-field checks: the typo left index unset
                "observability.logging.output[1].index: is required for type elasticsearch");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheKnownKeys() {
        assertThat(errors(LISTENER + "admin: {address: 0.0.0.0, colour: blue}\n"))
                .containsExactly("admin.colour: unknown key (known keys: address, port, authentication)");
    }

    @Test
    void misspelledRequiredKeyGivesBothTheMissingKeyAndTheSuggestion() {
        assertThat(errors("listeners: [{name: llm, port: 8080, protcol: HTTP}]\n")).containsExactly(
                "listeners[0].protocol: is required",
                "listeners[0].protcol: unknown key (did you mean protocol?)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "listeners: {name: llm}                                        | listeners: must be a list, not a mapping",
            "listeners: [{name: llm, port: abc, protocol: HTTP}]           | listeners[0].port: \"abc\" is not a whole number",
            "listeners: [{name: llm, port: 80.5, protocol: HTTP}]          | listeners[0].port: 80.5 is not a whole number",
            "listeners: [{name: llm, port: 99999999999, protocol: HTTP}]   | listeners[0].port: 99999999999 is out of range",
            "listeners: [{name: llm, port: 70000, protocol: HTTP}]         | listeners[0].port: 70000 is not a port (0-65535)",
            "listeners: [{name: llm, port: 8080, protocol: HTTPS}]         | listeners[0].protocol: \"HTTPS\" is not one of HTTP, MCP, A2A",
            "listeners: [{name: [llm], port: 8080, protocol: HTTP}]        | listeners[0].name: must be a single value, not a list",
            "listeners: [{name: llm, port: 8080, protocol: HTTP}, null]    | listeners[1]: must not be empty",
            "listeners: [llm]                                              | listeners[0]: must be a mapping (key: value), not \"llm\"",
            "listeners: [{name: llm, port: 8080, protocol: HTTP, max_body_size: lots}] | listeners[0].max_body_size: \"lots\" is not a size (like 512KiB, 32MiB or 1048576)",
    })
    void wrongTypesNameThePathAndTheValue(String yaml, String error) {
        assertThat(errors(yaml + "\n")).containsExactly(error);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "llm: []                                               | llm: must be a mapping (key: value), not a list",
            "security: kubernetes                                  | security: must be a mapping (key: value), not \"kubernetes\"",
            "observability: {tracing: {enabled: maybe}}            | observability.tracing.enabled: \"maybe\" is not true or false",
            "observability: {tracing: {enabled: false, sampling_ratio: half}} | observability.tracing.sampling_ratio: \"half\" is not a number",
            "observability: {tracing: {enabled: false, propagation: w3c}}     | observability.tracing.propagation: must be a list, not \"w3c\"",
            "observability: {tracing: {enabled: false, propagation: [w3c, jaeger]}} | observability.tracing.propagation[1]: \"jaeger\" is not one of w3c, b3, b3multi",
            "rate_limiting: [{name: a, limit: lots, window: 1h}]   | rate_limiting[0].limit: \"lots\" is not a whole number",
            "rate_limiting: [{name: a, limit: 1, window: 1h, limit_by: dollars}] | rate_limiting[0].limit_by: \"dollars\" is not one of tokens, requests, cost",
            "llm: {providers: [{name: o, type: openai, headers: [a]}]} | llm.providers[0].headers: must be a mapping (key: value), not a list",
            "rate_limit_store: {type: redis, url: 'redis://r:6379', failure_mode: retry} | rate_limit_store.failure_mode: \"retry\" is not one of fail_open, fail_closed",
    })
    void wrongTypesInSections(String section, String error) {
        assertThat(errors(LISTENER + section + "\n")).containsExactly(error);
    }

    @Test
    void missingRequiredKeysAreEachNamed() {
        assertThat(errors(LISTENER + """
                authorization:
                  policies:
                    - {name: p}
                rate_limiting:
                  - {name: r}
                a2a:
                  authorization:
                    - {name: rule}
                llm:
                  providers:
                    - {type: openai}
                  models:
                    - {name: gpt-4}
                """)).containsExactlyInAnyOrder(
                "authorization.policies[0].resources: is required",
                "authorization.policies[0].action: is required",
                "rate_limiting[0].limit: is required",
                "rate_limiting[0].window: is required",
                "a2a.authorization[0].source: is required",
                "a2a.authorization[0].target: is required",
                "a2a.authorization[0].action: is required",
                "llm.providers[0].name: is required",
                "llm.models[0].provider: is required");
    }

    @Test
    void listenersAreRequired() {
        assertThat(errors("admin: {port: 15000}\n")).containsExactly("listeners: is required");
        assertThat(errors("listeners: []\n")).containsExactly("listeners: needs at least one listener");
    }

    @Test
    void everyBindingErrorIsReportedNotOnlyTheFirst() {
        assertThat(errors("""
                listeners:
                  - {name: llm, port: eighty, protocol: HTTP}
                  - {name: mcp, protocol: MCP}
                llm:
                  providers:
                    - {name: openai, type: openaii}
                security:
                  authentication: {type: kubernetes, service_account_validaton: true}
                rate_limiting:
                  - {name: a, limit: 1, window: 1 day}
                observabilty: {}
                """)).containsExactlyInAnyOrder(
                "listeners[0].port: \"eighty\" is not a whole number",
                "listeners[1].port: is required",
                "llm.providers[0].type: \"openaii\" is not one of openai, azure_openai, anthropic, ollama, "
                        + "openai_compatible, gemini, bedrock, vertex_ai, mock",
                "security.authentication.service_account_validaton: unknown key (did you mean service_account_validation?)",
                "rate_limiting[0].window: \"1 day\" is not a duration (like 500ms, 30s, 5m, 24h, 7d)",
                "observabilty: unknown key (did you mean observability?)");
    }

    @Test
    void theExceptionMessageListsEveryErrorOnItsOwnLine() {
        ConfigException e = Configs.exception("listeners: [{name: llm, port: x, protocol: y}]\nfoo: 1\n", Map.of());
        assertThat(e.getMessage().lines()).hasSize(3).contains("foo: unknown key (known keys: listeners, admin, "
                + "secrets_dir, llm, mcp, a2a, security, authorization, rate_limiting, rate_limit_store, "
                + "observability, shutdown)");
    }

    @Test
    void anEmptyMapValueIsAnErrorNotSilentlyDropped() {
        // headers: {x-team: } used to vanish, so the header the user configured was never sent
        assertThat(errors(LISTENER + "llm: {providers: [{name: o, type: openai, headers: {x-team: }}]}\n"))
                .containsExactly("llm.providers[0].headers.x-team: must not be empty (write \"\" for an empty value)");
    }

    @Test
    void anExplicitEmptyStringIsAValue() throws ConfigException {
        GatewayConfig c = load(LISTENER + "llm: {providers: [{name: o, type: openai, headers: {x-team: \"\"}}]}\n");
        assertThat(c.llm().providers().get(0).headers().get("x-team").isEmpty()).isTrue();
    }

    @Test
    void enumsAcceptTheSpellingsTheDesignWrites() throws ConfigException {
        GatewayConfig c = load("""
                listeners: [{name: llm, port: 8443, protocol: HTTP}]
                observability: {tracing: {enabled: true, endpoint: "otel:4318", protocol: http/protobuf, propagation: [b3multi]}}
                rate_limit_store: {type: redis, url: "rediss://redis:6380", failure_mode: fail_closed}
                llm: {providers: [{name: az, type: azure_openai, base_url: "https://x.openai.azure.com", api_version: "2024-10-21"}]}
                mcp: {servers: [{name: fs, transport: streamable_http, url: "http://fs:3000/mcp"}]}
                """);
        assertThat(c.observability().tracing().protocol()).isEqualTo(TracingConfig.OtlpProtocol.HTTP_PROTOBUF);
        assertThat(c.observability().tracing().propagation()).containsExactly(TracingConfig.Propagation.B3MULTI);
        assertThat(c.rateLimitStore().failureMode()).isEqualTo(RateLimitStoreConfig.FailureMode.FAIL_CLOSED);
        assertThat(c.llm().providers().get(0).type()).isEqualTo(ProviderConfig.ProviderType.AZURE_OPENAI);
        assertThat(c.llm().providers().get(0).apiVersion()).isEqualTo("2024-10-21");
        assertThat(c.mcp().servers().get(0).transport()).isEqualTo(McpServerConfig.Transport.STREAMABLE_HTTP);
    }

    @ParameterizedTest
    @CsvSource({"512KiB, 524288", "32MiB, 33554432", "1MB, 1000000", "2GiB, 2147483648", "1048576, 1048576", "10kb, 10000"})
    void sizesAcceptBinaryAndDecimalUnits(String text, long bytes) throws ConfigException {
        GatewayConfig c = load("listeners: [{name: llm, port: 8080, protocol: HTTP, max_body_size: " + text + "}]\n");
        assertThat(c.listeners().get(0).maxBodySize().bytes()).isEqualTo(bytes);
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        assertThat(errors("listeners:\n  - name: llm\n   port: 8080\n"))
                .singleElement().asString().startsWith("not valid YAML at line 3, column ");
    }

    @Test
    void aKeyWrittenTwiceInOneMappingIsAnError() {
        // the seed shows security.authentication twice; in one file they must be merged
        assertThat(errors(LISTENER + """
                security:
                  authentication: {type: kubernetes}
                  authentication: {allowed_namespaces: [dev-team]}
                """)).singleElement().asString()
                .startsWith("not valid YAML at line 4").contains("Duplicate field 'authentication'");
    }

    @Test
    void emptyOrNonMappingFilesAreRejected() {
        assertThat(errors("")).containsExactly("the config is empty (it needs at least listeners)");
        assertThat(errors("# only a comment\n")).containsExactly("the config is empty (it needs at least listeners)");
        assertThat(errors("- listeners\n")).containsExactly("the config must be a YAML mapping at the top level");
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.fromEnvironment().load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist");
    }
}
