package io.agentgateway.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code agentgateway check}: decisions, deciding policy and A2A rule, exit codes, bad configs and usage errors. */
class CheckCommandTest {
    static final String SEED = "examples/seed.yaml";

    @TempDir
    static Path dir;
    static String agents;
    static String gated;

    /** Policies that let agents be called at all, so the A2A rules (the seed's) decide. */
    @BeforeAll
    static void writeConfigs() throws IOException {
        agents = write("agents.yaml", """
                listeners: [{name: a2a, port: 8082, protocol: A2A}]
                authorization:
                  policies:
                    - {name: agents-for-everyone, resources: ["agent:*"], action: allow}
                a2a:
                  authorization:
                    - name: dev-team-agents
                      source: {namespace: dev-team}
                      target: {namespace: dev-team}
                      action: allow
                    - name: cross-namespace-restricted
                      source: {namespace: dev-team}
                      target: {namespace: production}
                      action: deny
                """);
        gated = write("gated.yaml", """
                listeners: [{name: llm, port: 8080, protocol: HTTP}]
                authorization:
                  policies:
                    - name: prod-policy
                      match: {kubernetes: {namespace: production, service_account: "agent-*"}}
                      resources: ["model:gpt-4"]
                      action: allow
                      when: 'request.headers["x-env"] == "prod" && request.path == "/v1/chat/completions"'
                """);
    }

    static String write(String name, String yaml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    @Test
    void seedProductionMayUseGpt4() {
        Cli r = Cli.run("check", "--config", SEED, "--namespace", "production", "--resource", "model:gpt-4");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("resource: model:gpt-4", "principal: namespace production, no service account",
                "authorization: allow (policy prod-policy)", "decision: allow");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void seedProductionMayNotUseOtherModels() {
        Cli r = Cli.run("check", "-c", SEED, "-n", "production", "--service-account", "app", "-r", "model:gpt-4o");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("principal: namespace production, service account app",
                "authorization: deny (policy default): no policy allows it and authorization.default_action is deny",
                "decision: deny");
    }

    @Test
    void seedDevelopmentMayUseAnyModel() {
        Cli r = Cli.run("check", "--config", SEED, "--namespace", "development", "--resource", "model:claude-sonnet");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("authorization: allow (policy dev-policy)");
    }

    @Test
    void agentCallsShowTheA2aRule() {
        Cli same = Cli.run("check", "--config", agents, "--namespace", "dev-team", "--service-account", "code-assistant",
                "--resource", "agent:dev-team/docs-writer");
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).contains("authorization: allow (policy agents-for-everyone)",
                "a2a: allow (rule dev-team-agents)", "decision: allow");

        Cli cross = Cli.run("check", "--config", agents, "--namespace", "dev-team", "--service-account", "code-assistant",
                "--resource", "agent:production/db-agent");
        assertThat(cross.exitCode()).isEqualTo(3);
        assertThat(cross.out()).contains("authorization: allow (policy agents-for-everyone)",
                "a2a: deny (rule cross-namespace-restricted): a2a rule cross-namespace-restricted denies calls from namespace dev-team to agent:production/db-agent",
                "decision: deny");

        Cli unknown = Cli.run("check", "--config", agents, "--namespace", "ai-agents", "--resource", "agent:ai-agents/x");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.out()).contains("a2a: deny (rule default): no a2a rule allows");
    }

    @Test
    void seedAgentCallsAreDeniedByTheModelOnlyPoliciesToo() {
        Cli r = Cli.run("check", "--config", SEED, "--namespace", "dev-team", "--resource", "agent:dev-team/code-assistant");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("authorization: deny (policy default)", "a2a: allow (rule dev-team-agents)", "decision: deny");
    }

    @Test
    void headersFeedWhenConditions() {
        String[] base = {"check", "--config", gated, "--namespace", "production", "--service-account", "agent-1",
                "--resource", "model:gpt-4"};
        Cli without = Cli.run(base);
        assertThat(without.exitCode()).isEqualTo(3);
        assertThat(without.out()).contains("authorization: deny (policy default)");

        Cli staging = Cli.run(concat(base, "--header", "x-env=staging"));
        assertThat(staging.exitCode()).isEqualTo(3);

        Cli prod = Cli.run(concat(base, "--header", "X-Env=prod", "-H", "x-other=1"));
        assertThat(prod.exitCode()).isZero();
        assertThat(prod.out()).contains("authorization: allow (policy prod-policy)");

        Cli otherPath = Cli.run(concat(base, "--header", "x-env=prod", "--request-path", "/chat/completions"));
        assertThat(otherPath.exitCode()).isEqualTo(3);

        Cli wrongAccount = Cli.run("check", "--config", gated, "--namespace", "production", "--service-account", "ci",
                "--resource", "model:gpt-4", "--header", "x-env=prod");
        assertThat(wrongAccount.exitCode()).isEqualTo(3);
    }

    @Test
    void invalidConfigExitsOneWithEveryErrorAndItsPath() throws IOException {
        String bad = write("bad.yaml", """
                listeners: [{name: llm, port: 8080, protocol: HTTP}]
                authorization:
                  policies:
                    - {name: p, resources: ["model:*"], action: alow}
                    - {name: q, resources: ["model:*"], action: allow, whne: 'true'}
                """);
        Cli r = Cli.run("check", "--config", bad, "--namespace", "dev", "--resource", "model:gpt-4");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("authorization.policies[0].action", "authorization.policies[1].whne");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void conditionThatDoesNotCompileIsAConfigError() throws IOException {
        String bad = write("bad-when.yaml", """
                listeners: [{name: llm, port: 8080, protocol: HTTP}]
                authorization:
                  policies:
                    - {name: p, resources: ["model:*"], action: allow, when: 'request.header["x-env"] == "prod"'}
                """);
        Cli r = Cli.run("check", "--config", bad, "--namespace", "dev", "--resource", "model:gpt-4");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("1 error(s)", "authorization.policies[0].when: 'request.header[\"x-env\"] == \"prod\"' does not compile",
                "undeclared reference to 'request'");

        Cli validate = Cli.run("validate", bad);
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.err()).contains("authorization.policies[0].when:", "does not compile");
    }

    @Test
    void missingConfigFileExitsOne() {
        Cli r = Cli.run("check", "--config", dir.resolve("nope.yaml").toString(), "--namespace", "dev", "--resource", "model:x");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("does not exist");
    }

    @Test
    void usageErrorsExitTwo() {
        Cli noResource = Cli.run("check", "--config", SEED, "--namespace", "production");
        assertThat(noResource.exitCode()).isEqualTo(2);
        assertThat(noResource.err()).contains("--resource");

        Cli noNamespace = Cli.run("check", "--config", SEED, "--resource", "model:gpt-4");
        assertThat(noNamespace.exitCode()).isEqualTo(2);
        assertThat(noNamespace.err()).contains("--namespace");

        Cli badResource = Cli.run("check", "--config", SEED, "--namespace", "production", "--resource", "gpt-4");
        assertThat(badResource.exitCode()).isEqualTo(2);
        assertThat(badResource.err()).contains("\"gpt-4\" is not a resource");

        Cli pattern = Cli.run("check", "--config", SEED, "--namespace", "production", "--resource", "model:gpt-*");
        assertThat(pattern.exitCode()).isEqualTo(2);
        assertThat(pattern.err()).contains("is a pattern");

        Cli badHeader = Cli.run("check", "--config", SEED, "--namespace", "production", "--resource", "model:gpt-4",
                "--header", "x-env");
        assertThat(badHeader.exitCode()).isEqualTo(2);
        assertThat(badHeader.err()).contains("--header");

        Cli emptyNamespace = Cli.run("check", "--config", SEED, "--namespace", "", "--resource", "model:gpt-4");
        assertThat(emptyNamespace.exitCode()).isEqualTo(2);

        Cli unknownOption = Cli.run("check", "--config", SEED, "--namespace", "x", "--resource", "model:gpt-4", "--verbose");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
    }

    @Test
    void listedInTheCommandsHelp() {
        Cli r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("check", "validate", "run");
        Cli check = Cli.run("check", "--help");
        assertThat(check.exitCode()).isZero();
        assertThat(check.out()).contains("--namespace", "--service-account", "--resource", "--header", "0 allow, 3 deny");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
