package io.agentgateway.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Anchors, aliases and merge keys resolve before binding, as GitOps repositories write them. */
class YamlAnchorsTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);

    @Test
    void anAliasedKeyListIsTheList() throws ConfigException {
        GatewayConfig c = Configs.load(Configs.LISTENER + """
                security:
                  authentication:
                    methods:
                      - type: api_key
                        keys: &keys
                          - {name: ci, key_hash: "%s", namespace: dev-team}
                          - {name: bot, key_hash: "%s", namespace: prod}
                      - type: api_key
                        header: x-api-key
                        keys: *keys
                """.formatted(A, B));
        var methods = c.security().authentication().methods();
        assertThat(methods.get(1).keys()).hasSize(2);
        assertThat(methods.get(1).keys().get(1).namespace()).isEqualTo("prod");
        assertThat(methods.get(1).keys()).isEqualTo(methods.get(0).keys());
    }

    @Test
    void mergeKeysFillInWhatTheMappingDoesNotSay() throws ConfigException {
        GatewayConfig c = Configs.load(Configs.LISTENER + """
                authorization:
                  policies:
                    - &base {name: dev, match: {kubernetes: {namespace: dev-team}}, resources: ["model:*"], action: allow}
                    - <<: *base
                      name: prod
                      match: {kubernetes: {namespace: production}}
                    - <<: [{name: ignored, action: deny}, *base]
                      name: third
                """);
        var policies = c.authorization().policies();
        assertThat(policies).hasSize(3);
        assertThat(policies.get(1).name()).isEqualTo("prod");
        assertThat(policies.get(1).match().kubernetes().namespace()).isEqualTo("production");
        assertThat(policies.get(1).resources()).containsExactly("model:*");
        assertThat(policies.get(1).action()).isEqualTo(Action.ALLOW);
        // the first merged mapping that has a key wins; the mapping's own keys win over all
        assertThat(policies.get(2).name()).isEqualTo("third");
        assertThat(policies.get(2).action()).isEqualTo(Action.DENY);
        assertThat(policies.get(2).resources()).containsExactly("model:*");
    }

    @Test
    void errorsNameThePathWhereTheAliasIsUsed() {
        assertThat(Configs.errors("""
                listeners:
                  - {name: llm, port: &port "eighty", protocol: HTTP}
                  - {name: mcp, port: *port, protocol: MCP}
                """)).anySatisfy(e -> assertThat(e).startsWith("listeners[0].port:"))
                .anySatisfy(e -> assertThat(e).startsWith("listeners[1].port:"));
    }

    @Test
    void anUnknownAliasOrABadMergeIsAnErrorWithItsPath() {
        assertThat(Configs.errors(Configs.LISTENER + "admin: {port: *nowhere}\n"))
                .singleElement().asString().startsWith("admin.port: alias *nowhere names no anchor");
        assertThat(Configs.errors(Configs.LISTENER + "admin:\n  <<: 15000\n"))
                .singleElement().asString().contains("admin.<<: a merge key (<<) takes a mapping");
    }

    @Test
    void anAliasBombIsRefusedNotExpanded() {
        StringBuilder yaml = new StringBuilder(Configs.LISTENER + "llm:\n  providers:\n    - name: p\n      type: mock\n      models: &l0 [a, b, c, d, e, f, g, h, i, j]\n");
        for (int i = 1; i <= 7; i++) {
            yaml.append("      x").append(i).append(": &l").append(i).append(" [");
            yaml.append(("*l" + (i - 1) + ", ").repeat(10)).append("z]\n");
        }
        assertThat(Configs.errors(yaml.toString())).anySatisfy(e -> assertThat(e).contains("expands to more than 1000000 values"));
    }
}
