package io.agentgateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.agentgateway.config.Configs.LISTENER;
import static io.agentgateway.config.Configs.errors;
import static io.agentgateway.config.Configs.load;
import static org.assertj.core.api.Assertions.assertThat;

/** ConfigValidator: the checks that span fields and sections. */
class ValidationTest {
    private static final String OPENAI = LISTENER + "llm:\n  providers:\n    - {name: openai, type: openai}\n"
            + "    - {name: anthropic, type: anthropic}\n";

    // ---- listeners and ports

    @Test
    void listenerNamesAndPortsAreUnique() {
        assertThat(errors("""
                listeners:
                  - {name: llm, port: 8080, protocol: HTTP}
                  - {name: llm, port: 8080, protocol: MCP}
                  - {name: a2a, port: 15000, protocol: A2A}
                """)).containsExactly(
                "listeners[1].name: \"llm\" is used more than once",
                "listeners[1].port: 8080 is already used by listeners[0].port",
                "listeners[2].port: 15000 is already used by admin.port");
    }

    @Test
    void builtInDemoUpstreamsTakeNoAddress() {
        assertThat(errors(LISTENER + """
                mcp:
                  servers:
                    - {name: ok, transport: demo}
                    - {name: bad, transport: demo, url: "http://x", command: [node]}
                a2a:
                  agents:
                    - {name: ok, namespace: dev, demo: true}
                    - {name: bad, namespace: dev, demo: true, url: "http://bad.dev:8080"}
                """)).containsExactly(
                "mcp.servers[1].url: does not apply to transport demo (the server built into the gateway)",
                "mcp.servers[1].command: applies only to transport stdio",
                "a2a.agents[1].url: does not apply to a demo agent (demo: true, built into the gateway)");
    }

    @Test
    void portZeroMeansAnyFreePortAndMayRepeat() throws ConfigException {
        GatewayConfig c = load("""
                listeners: [{name: a, port: 0, protocol: HTTP}, {name: b, port: 0, protocol: MCP}]
                admin: {port: 0}
                """);
        assertThat(c.listeners()).extracting(ListenerConfig::port).containsExactly(0, 0);
    }

    @Test
    void adminPortMustBeAPort() {
        assertThat(errors(LISTENER + "admin: {port: -1}\n")).containsExactly("admin.port: -1 is not a port (0-65535)");
    }

    @Test
    void listenerLimitsMustBeUsable() {
        assertThat(errors("""
                listeners:
                  - {name: llm, port: 8080, protocol: HTTP, max_body_size: 0, max_header_size: 512, idle_timeout: 0s,
                     trusted_proxies: [10.0.0.0/8, "fd00::/8", 10.0.0.1, not-an-ip, 10.0.0.0/8/8]}
                """)).containsExactly(
                "listeners[0].idle_timeout: must be longer than 0",
                "listeners[0].max_body_size: must be greater than 0",
                "listeners[0].max_header_size: 512 is too small (at least 1KiB)",
                "listeners[0].trusted_proxies[3]: \"not-an-ip\" is not an IP address or CIDR range",
                "listeners[0].trusted_proxies[4]: \"10.0.0.0/8/8\" is not an IP address or CIDR range");
    }

    // ---- llm

    @Test
    void modelEntriesMustNameAConfiguredProvider() {
        assertThat(errors(OPENAI + "  models:\n    - {name: gpt-4, provider: opneai}\n"))
                .containsExactly("llm.models[0].provider: \"opneai\" is not a provider in llm.providers");
    }

    @Test
    void fallbacksMustNameOtherModelEntries() {
        assertThat(errors(OPENAI + """
                  models:
                    - {name: gpt-4, provider: openai, model: gpt-4o, fallbacks: [claude-sonnet, claude-opus, gpt-4]}
                    - {name: claude-sonnet, provider: anthropic}
                """)).containsExactly(
                "llm.models[0].fallbacks[1]: \"claude-opus\" is not the name of an entry in llm.models",
                "llm.models[0].fallbacks[2]: \"gpt-4\" is this entry itself");
    }

    @Test
    void aValidRoutingTableLoads() throws ConfigException {
        GatewayConfig c = load(OPENAI + """
                  models:
                    - {name: gpt-4, provider: openai, model: gpt-4o, fallbacks: [claude-sonnet]}
                    - {name: claude-sonnet, provider: anthropic}
                """);
        assertThat(c.llm().models().get(0).model()).isEqualTo("gpt-4o");
        assertThat(c.llm().models().get(0).fallbacks()).containsExactly("claude-sonnet");
        assertThat(c.llm().models().get(1).model()).isNull();
    }

    @Test
    void providerAndModelNamesAreUnique() {
        assertThat(errors(OPENAI + """
                    - {name: openai, type: mock}
                  models:
                    - {name: gpt-4, provider: openai}
                    - {name: gpt-4, provider: openai}
                """)).containsExactly(
                "llm.providers[2].name: \"openai\" is used more than once",
                "llm.models[1].name: \"gpt-4\" is used more than once");
    }

    @Test
    void providerTypesNeedTheirOwnKeys() {
        assertThat(errors(LISTENER + """
                llm:
                  providers:
                    - {name: azure, type: azure_openai}
                    - {name: vllm, type: openai_compatible}
                    - {name: bedrock, type: bedrock}
                    - {name: bad-url, type: ollama, base_url: "localhost:11434"}
                    - {name: bad-models, type: mock, models: ["gpt-*", " "], timeout: 0s}
                  default_max_tokens: 0
                """)).containsExactly(
                "llm.providers[0].base_url: is required for type azure_openai",
                "llm.providers[1].base_url: is required for type openai_compatible",
                "llm.providers[2].region: is required for type bedrock (or set base_url)",
                "llm.providers[3].base_url: \"localhost:11434\" is not an http:// or https:// URL",
                "llm.providers[4].timeout: must be longer than 0",
                "llm.providers[4].models[1]: must not be empty",
                "llm.default_max_tokens: 0 must be greater than 0");
    }

    @Test
    void cloudCredentialsBelongToTheTypesThatUseThem() {
        assertThat(errors(LISTENER + """
                llm:
                  providers:
                    - {name: both, type: bedrock, region: us-east-1, credentials_secret: aws, api_key_secret: bedrock-key}
                    - {name: openai, type: openai, credentials_secret: aws}
                """)).containsExactly(
                "llm.providers[0].credentials_secret: \"aws\" and api_key_secret both set: a bedrock provider signs with AWS keys"
                        + " or sends a Bedrock API key, not both",
                "llm.providers[1].credentials_secret: \"aws\" is not used by type openai (only by bedrock and vertex_ai)");
    }

    @Test
    void googleProvidersNeedTheirOwnKeys() {
        assertThat(errors(LISTENER + """
                llm:
                  providers:
                    - {name: vertex, type: vertex_ai, api_key_secret: k}
                    - {name: openai, type: openai, api: native, project: p}
                    - {name: gemini, type: gemini, api: native}
                """)).containsExactly(
                "llm.providers[0].project: is required for type vertex_ai (the Google Cloud project)",
                "llm.providers[0].region: is required for type vertex_ai (a location such as us-central1, or global)",
                "llm.providers[0].api_key_secret: \"k\" is not used by type vertex_ai: it authenticates with credentials_secret"
                        + " or workload identity",
                "llm.providers[1].api: native is only for type gemini",
                "llm.providers[1].project: \"p\" is only for type vertex_ai");
    }

    // ---- mcp

    @Test
    void mcpServersNeedTheKeysOfTheirTransport() {
        assertThat(errors(LISTENER + """
                mcp:
                  servers:
                    - {name: everything, transport: stdio}
                    - {name: both, transport: stdio, command: [npx], url: "http://x:1/mcp"}
                    - {name: remote, transport: streamable_http}
                    - {name: legacy, transport: sse, url: "http://x:1/sse", command: [npx]}
                    - {name: remote, transport: sse, url: "http://x:1/sse"}
                    - {name: a__b, transport: sse, url: "http://x:1/sse"}
                """)).containsExactly(
                "mcp.servers[0].command: is required for transport stdio",
                "mcp.servers[1].url: does not apply to transport stdio",
                "mcp.servers[2].url: is required for transport streamable_http",
                "mcp.servers[3].command: applies only to transport stdio",
                "mcp.servers[4].name: \"remote\" is used more than once",
                "mcp.servers[5].name: \"a__b\" may hold only letters, digits, '-', '_' and '.', and no \"__\"");
    }

    @Test
    void mcpServersLoadWithTheirDesignKeys() throws ConfigException {
        GatewayConfig c = load(LISTENER + """
                mcp:
                  session_key_secret: mcp-session-key
                  servers:
                    - name: filesystem-server
                      transport: streamable_http
                      url: http://filesystem-mcp.tools.svc:3000/mcp
                      headers: {x-team: dev}
                    - name: everything
                      transport: stdio
                      command: ["npx", "-y", "@modelcontextprotocol/server-everything"]
                      working_dir: /tmp
                      timeout: 10s
                """);
        assertThat(c.mcp().sessionKeySecret()).isEqualTo("mcp-session-key");
        assertThat(c.mcp().servers().get(0).headers().get("x-team").reveal()).isEqualTo("dev");
        assertThat(c.mcp().servers().get(1).command()).containsExactly("npx", "-y", "@modelcontextprotocol/server-everything");
        assertThat(c.mcp().servers().get(1).workingDir()).isEqualTo("/tmp");
    }

    // ---- a2a

    @Test
    void a2aAgentsAreKubernetesNamesAndUnique() {
        assertThat(errors(LISTENER + """
                a2a:
                  agents:
                    - {name: code-assistant, namespace: dev-team}
                    - {name: code-assistant, namespace: dev-team, url: "code-assistant:8080"}
                    - {name: Code_Assistant, namespace: dev-team}
                """)).containsExactly(
                "a2a.agents[1]: \"dev-team/code-assistant\" is used more than once",
                "a2a.agents[1].url: \"code-assistant:8080\" is not an http:// or https:// URL",
                "a2a.agents[2].name: \"Code_Assistant\" is not a Kubernetes name (lower-case letters, digits and '-', at most 63)");
    }

    @Test
    void a2aDefaultUrlMayUseOnlyNameAndNamespace() {
        assertThat(errors(LISTENER + "a2a: {default_url: \"http://{name}.{ns}:8080\"}\n")).containsExactly(
                "a2a.default_url: \"http://{name}.{ns}:8080\" may use only the placeholders {name} and {namespace}");
    }

    @Test
    void anEmptyDefaultUrlTurnsTheKagentConventionOff() throws ConfigException {
        assertThat(load(LISTENER + "a2a: {default_url: \"\"}\n").a2a().defaultUrl()).isEmpty();
    }

    @Test
    void a2aRuleNamesAreUniqueAndSelectorsUseOneNamespaceForm() {
        assertThat(errors(LISTENER + """
                a2a:
                  authorization:
                    - {name: r, source: {namespace: dev-team, namespaces: [a]}, target: {namespace: dev-team}, action: allow}
                    - {name: r, source: {namespace: dev-team}, target: {namespace: prod, namespaces: [b]}, action: deny}
                """)).containsExactly(
                "a2a.authorization[0].source: use namespace or namespaces, not both",
                "a2a.authorization[1].name: \"r\" is used more than once",
                "a2a.authorization[1].target: use namespace or namespaces, not both");
    }

    // ---- authorization

    @Test
    void policyNamesAreUnique() {
        assertThat(errors(LISTENER + """
                authorization:
                  policies:
                    - {name: p, resources: ["model:*"], action: allow}
                    - {name: p, resources: ["model:*"], action: deny}
                """)).containsExactly("authorization.policies[1].name: \"p\" is used more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4", "model:", "tool:fs/read", "mcp:", "mcp:filesystem-server", "agent:dev-team",
            "models:gpt-4", ""})
    void badResourceStringsAreRejected(String resource) {
        assertThat(errors(LISTENER + "authorization: {policies: [{name: p, resources: [\"" + resource
                + "\"], action: deny}]}\n")).containsExactly("authorization.policies[0].resources[0]: \"" + resource
                + "\" is not a resource (model:NAME, mcp:SERVER/TOOL, agent:NAMESPACE/NAME or *)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "model:*", "model:gpt-4", "model:gpt-4o*", "mcp:*", "mcp:filesystem-server/*",
            "mcp:filesystem-server/read_file", "mcp:fs*", "agent:dev-team/*", "agent:*/code-assistant", "agent:dev-*"})
    void wellFormedResourcePatternsAreAccepted(String resource) throws ConfigException {
        GatewayConfig c = load(LISTENER + "authorization: {policies: [{name: p, resources: [\"" + resource
                + "\"], action: allow}]}\n");
        assertThat(c.authorization().policies().get(0).resources()).containsExactly(resource);
    }

    @Test
    void aPolicyNeedsAtLeastOneResource() {
        assertThat(errors(LISTENER + "authorization: {policies: [{name: p, resources: [], action: allow}]}\n"))
                .containsExactly("authorization.policies[0].resources: needs at least one resource");
    }

    @Test
    void aSelectorUsesNamespaceOrNamespaces() {
        assertThat(errors(LISTENER + """
                authorization:
                  policies:
                    - name: p
                      match: {kubernetes: {namespace: a, namespaces: [b, c]}}
                      resources: ["model:*"]
                      action: allow
                """)).containsExactly("authorization.policies[0].match.kubernetes: use namespace or namespaces, not both");
    }

    @Test
    void policiesKeepDesignAdditions() throws ConfigException {
        AuthorizationConfig authz = load(LISTENER + """
                authorization:
                  default_action: allow
                  policies:
                    - name: prod-tools
                      match: {kubernetes: {namespaces: [prod, staging], service_account: "agent-*"}}
                      resources: ["mcp:filesystem-server/read_*", "agent:prod/*"]
                      action: deny
                      when: 'request.headers["x-env"] == "prod"'
                """).authorization();
        assertThat(authz.effectiveDefault()).isEqualTo(Action.ALLOW);
        PolicyConfig p = authz.policies().get(0);
        assertThat(p.match().kubernetes().namespaces()).containsExactly("prod", "staging");
        assertThat(p.match().kubernetes().serviceAccount()).isEqualTo("agent-*");
        assertThat(p.when()).isEqualTo("request.headers[\"x-env\"] == \"prod\"");
    }

    // ---- budgets

    @Test
    void windowsAreCappedAt31Days() throws ConfigException {
        assertThat(errors(LISTENER + "rate_limiting: [{name: a, limit: 1, window: 32d}]\n"))
                .containsExactly("rate_limiting[0].window: \"32d\" is longer than the 31d allowed");
        assertThat(errors(LISTENER + "rate_limiting: [{name: a, limit: 1, window: 31d1s}]\n"))
                .containsExactly("rate_limiting[0].window: \"31d1s\" is longer than the 31d allowed");
        assertThat(load(LISTENER + "rate_limiting: [{name: a, limit: 1, window: 31d}]\n").rateLimiting().get(0).window())
                .hasDays(31);
    }

    @Test
    void budgetRulesNeedAPositiveLimitAndWholeSecondWindow() {
        assertThat(errors(LISTENER + """
                rate_limiting:
                  - {name: a, limit: 0, window: 1500ms}
                  - {name: a, limit: -5, window: 0s, limit_by: requests, resources: ["nope"]}
                """)).containsExactly(
                "rate_limiting[0].limit: 0 must be greater than 0",
                "rate_limiting[0].window: \"1s500ms\" must be whole seconds",
                "rate_limiting[1].name: \"a\" is used more than once",
                "rate_limiting[1].limit: -5 must be greater than 0",
                "rate_limiting[1].window: must be longer than 0",
                "rate_limiting[1].resources[0]: \"nope\" is not a resource (model:NAME, mcp:SERVER/TOOL, agent:NAMESPACE/NAME or *)");
    }

    @Test
    void budgetResourcesDefaultByWhatIsCounted() throws ConfigException {
        GatewayConfig c = load(LISTENER + """
                rate_limiting:
                  - {name: t, limit: 1, window: 1h}
                  - {name: r, limit: 1, window: 1h, limit_by: requests}
                  - {name: m, limit: 1, window: 1h, limit_by: requests, resources: ["mcp:*"]}
                """);
        assertThat(c.rateLimiting()).extracting(RateLimitRule::effectiveResources).containsExactly(
                java.util.List.of("model:*"), java.util.List.of("*"), java.util.List.of("mcp:*"));
    }

    @Test
    void redisStoreNeedsARedisUrl() {
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis}\n"))
                .containsExactly("rate_limit_store.url: is required for type redis");
        assertThat(errors(LISTENER + "rate_limit_store: {type: redis, url: \"http://redis:6379\", timeout: 0s}\n"))
                .containsExactly(
                        "rate_limit_store.url: \"http://redis:6379\" must start with redis:// or rediss://",
                        "rate_limit_store.timeout: must be longer than 0");
    }

    @Test
    void redisStoreLoads() throws ConfigException {
        RateLimitStoreConfig s = load(LISTENER + """
                rate_limit_store: {type: redis, url: "redis://redis.ai-platform.svc:6379", password_secret: redis-auth, failure_mode: fail_closed}
                """).rateLimitStore();
        assertThat(s.type()).isEqualTo(RateLimitStoreConfig.StoreType.REDIS);
        assertThat(s.url()).isEqualTo("redis://redis.ai-platform.svc:6379");
        assertThat(s.passwordSecret()).isEqualTo("redis-auth");
        assertThat(s.passwordSecretKey()).isEqualTo("password");
    }

    // ---- observability

    @Test
    void tracingNeedsAnEndpointAndARatioBetweenZeroAndOne() {
        assertThat(errors(LISTENER + "observability: {tracing: {enabled: true, sampling_ratio: 1.5}}\n")).containsExactly(
                "observability.tracing.endpoint: is required when tracing is enabled",
                "observability.tracing.sampling_ratio: 1.5 must be between 0 and 1");
        assertThat(errors(LISTENER + "observability: {tracing: {enabled: false, sampling_ratio: \"NaN\"}}\n"))
                .containsExactly("observability.tracing.sampling_ratio: NaN must be between 0 and 1");
    }

    @Test
    void tracingOffNeedsNoEndpoint() throws ConfigException {
        assertThat(load(LISTENER + "observability: {tracing: {enabled: false}}\n").observability().tracing().endpoint())
                .isNull();
    }

    @Test
    void auditOutputsNeedTheKeysOfTheirType() {
        assertThat(errors(LISTENER + """
                observability:
                  logging:
                    output:
                      - {type: elasticsearch}
                      - {type: opensearch, endpoint: "opensearch:9200", index: audit, password_secret: os-pw}
                      - {type: file}
                      - {type: stdout, batch_size: 0, flush_interval: 0s}
                """)).containsExactly(
                "observability.logging.output[0].endpoint: is required for type elasticsearch",
                "observability.logging.output[0].index: is required for type elasticsearch",
                "observability.logging.output[1].endpoint: \"opensearch:9200\" is not an http:// or https:// URL",
                "observability.logging.output[1].username: is required with password_secret",
                "observability.logging.output[2].path: is required for type file",
                "observability.logging.output[3].batch_size: 0 must be greater than 0",
                "observability.logging.output[3].flush_interval: must be longer than 0");
    }

    @Test
    void shutdownGraceMustBePositive() {
        assertThat(errors(LISTENER + "shutdown: {grace_period: 0s}\n"))
                .containsExactly("shutdown.grace_period: must be longer than 0");
    }

    @Test
    void everyValidationErrorIsReportedAcrossSections() {
        assertThat(errors("""
                listeners:
                  - {name: llm, port: 8080, protocol: HTTP}
                  - {name: mcp, port: 8080, protocol: MCP}
                llm:
                  providers: [{name: openai, type: openai}]
                  models: [{name: gpt-4, provider: azure, fallbacks: [claude]}]
                mcp:
                  servers: [{name: everything, transport: stdio}]
                rate_limiting: [{name: dev-team-budget, limit: 1000000, window: 60d}]
                rate_limit_store: {type: redis}
                authorization:
                  policies: [{name: p, resources: ["gpt-4"], action: allow}]
                """)).containsExactly(
                "listeners[1].port: 8080 is already used by listeners[0].port",
                "llm.models[0].provider: \"azure\" is not a provider in llm.providers",
                "llm.models[0].fallbacks[0]: \"claude\" is not the name of an entry in llm.models",
                "mcp.servers[0].command: is required for transport stdio",
                "authorization.policies[0].resources[0]: \"gpt-4\" is not a resource (model:NAME, mcp:SERVER/TOOL, agent:NAMESPACE/NAME or *)",
                "rate_limiting[0].window: \"60d\" is longer than the 31d allowed",
                "rate_limit_store.url: is required for type redis");
    }

    @Test
    void forwardHeadersNeverNameACredentialOrAConnectionHeader() {
        assertThat(errors(LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, forward_headers: [OpenAI-Beta, X-Team, Authorization, cookie, "bad header"]}
                """)).containsExactly(
                "llm.providers[0].forward_headers[2]: \"Authorization\" is never forwarded: it carries the caller's credentials"
                        + " or belongs to the connection",
                "llm.providers[0].forward_headers[3]: \"cookie\" is never forwarded: it carries the caller's credentials"
                        + " or belongs to the connection",
                "llm.providers[0].forward_headers[4]: \"bad header\" is not an HTTP header name");
    }

    @Test
    void costLimitsAreDollarsWhileTokenAndRequestLimitsAreWholeNumbers() throws ConfigException {
        assertThat(errors(LISTENER + """
                llm:
                  pricing:
                    - {model: "gpt-*", input: -1, output: 2}
                rate_limiting:
                  - {name: a, limit: 10.5, window: 1h, limit_by: tokens}
                  - {name: b, limit: 0.0000001, window: 1h, limit_by: cost}
                  - {name: c, limit: 0, window: 1h, limit_by: cost}
                """)).containsExactly(
                "llm.pricing[0].input: -1.0 must be a price in USD per million tokens, 0 or more",
                "rate_limiting[0].limit: 10.5 must be a whole number of tokens (only limit_by: cost takes a decimal amount, in USD)",
                "rate_limiting[1].limit: 0.0000001 has more than 6 decimal places (budgets count millionths of a dollar)",
                "rate_limiting[2].limit: 0 must be greater than 0");
        GatewayConfig c = load(LISTENER + "rate_limiting:\n  - {name: spend, limit: 12.50, window: 24h, limit_by: cost}\n");
        assertThat(c.rateLimiting().get(0).limitDecimal()).isEqualByComparingTo("12.5");
        assertThat(c.rateLimiting().get(0).effectiveResources()).containsExactly("model:*");
    }
}
