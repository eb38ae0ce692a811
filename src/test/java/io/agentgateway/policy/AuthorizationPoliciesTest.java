package io.agentgateway.policy;

import io.agentgateway.identity.Principal;
import org.junit.jupiter.api.Test;

import static io.agentgateway.policy.Policies.engine;
import static io.agentgateway.policy.Policies.model;
import static io.agentgateway.policy.Policies.ns;
import static io.agentgateway.policy.Policies.request;
import static io.agentgateway.policy.Policies.sa;
import static org.assertj.core.api.Assertions.assertThat;

/** Deny overrides, selectors, default_action, and that every decision names its policy. */
class AuthorizationPoliciesTest {
    private static final RequestFacts NO_HEADERS = request();

    static Decision decide(AuthorizationPolicies engine, Principal p, Resource r) {
        Decision d = engine.decide(p, r, NO_HEADERS);
        assertThat(d.policy()).as("every decision names its policy").isNotBlank();
        return d;
    }

    @Test
    void seedPoliciesAsWritten() throws Exception {
        AuthorizationPolicies seed = AuthorizationPolicies.compile(Policies.seed().authorization());

        assertThat(decide(seed, sa("production", "app"), model("gpt-4"))).isEqualTo(Decision.allow("prod-policy"));
        Decision gpt4o = decide(seed, sa("production", "app"), model("gpt-4o"));
        assertThat(gpt4o.allowed()).isFalse();
        assertThat(gpt4o.policy()).isEqualTo("default");
        assertThat(decide(seed, sa("development", "x"), model("gpt-4o"))).isEqualTo(Decision.allow("dev-policy"));
        assertThat(decide(seed, sa("development", "x"), model("claude-sonnet"))).isEqualTo(Decision.allow("dev-policy"));
        assertThat(decide(seed, sa("dev-team", "x"), model("gpt-4")).allowed()).isFalse();
        assertThat(decide(seed, Principal.ANONYMOUS, model("gpt-4")).allowed()).isFalse();
        // the model policies do not cover tools or agents; policies exist, so the default is deny
        assertThat(decide(seed, sa("development", "x"), new Resource.McpTool("github-server", "create_review")))
                .isEqualTo(Decision.deny("default", "no policy allows it and authorization.default_action is deny"));
    }

    @Test
    void anyMatchingDenyWinsWhereverItIsListed() {
        for (String order : new String[]{"allow-first", "deny-first"}) {
            String allow = """
                    - {name: team-models, match: {kubernetes: {namespace: dev}}, resources: ["model:*"], action: allow}
                    """;
            String deny = """
                    - {name: no-gpt-4o, match: {kubernetes: {namespace: dev}}, resources: ["model:gpt-4o*"], action: deny}
                    """;
            AuthorizationPolicies engine = engine("authorization:\n  policies:\n"
                    + indent(order.equals("allow-first") ? allow + deny : deny + allow));
            assertThat(decide(engine, ns("dev"), model("gpt-4o-mini")))
                    .as(order).isEqualTo(Decision.deny("no-gpt-4o", "denied by policy no-gpt-4o"));
            assertThat(decide(engine, ns("dev"), model("gpt-4"))).as(order).isEqualTo(Decision.allow("team-models"));
        }
    }

    @Test
    void theFirstMatchingAllowIsNamed() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: narrow, match: {kubernetes: {namespace: dev}}, resources: ["model:gpt-4"], action: allow}
                    - {name: broad, match: {kubernetes: {namespace: dev}}, resources: ["model:*"], action: allow}
                """);
        assertThat(decide(engine, ns("dev"), model("gpt-4"))).isEqualTo(Decision.allow("narrow"));
        assertThat(decide(engine, ns("dev"), model("gpt-4o"))).isEqualTo(Decision.allow("broad"));
    }

    @Test
    void serviceAccountGlobs() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - name: agents
                      match: {kubernetes: {namespace: dev, service_account: "agent-*"}}
                      resources: ["model:*"]
                      action: allow
                    - name: exactly-ci
                      match: {kubernetes: {service_account: ci-bot}}
                      resources: ["model:gpt-4"]
                      action: allow
                """);
        assertThat(decide(engine, sa("dev", "agent-reviewer"), model("gpt-4o"))).isEqualTo(Decision.allow("agents"));
        assertThat(decide(engine, sa("dev", "agent-"), model("gpt-4o"))).isEqualTo(Decision.allow("agents"));
        assertThat(decide(engine, sa("dev", "my-agent-x"), model("gpt-4o")).allowed()).isFalse();
        assertThat(decide(engine, sa("other", "agent-reviewer"), model("gpt-4o")).allowed()).isFalse();
        // a key mapped to a namespace only has no service account: a service_account match never fits it
        assertThat(decide(engine, ns("dev"), model("gpt-4o")).allowed()).isFalse();
        // no namespace in the selector: any namespace with that service account
        assertThat(decide(engine, sa("anywhere", "ci-bot"), model("gpt-4"))).isEqualTo(Decision.allow("exactly-ci"));
        assertThat(decide(engine, sa("anywhere", "ci-bot-2"), model("gpt-4")).allowed()).isFalse();
    }

    @Test
    void namespacesLists() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: teams, match: {kubernetes: {namespaces: [dev-team, prod-team]}}, resources: ["model:gpt-4"], action: allow}
                """);
        assertThat(decide(engine, ns("dev-team"), model("gpt-4"))).isEqualTo(Decision.allow("teams"));
        assertThat(decide(engine, ns("prod-team"), model("gpt-4"))).isEqualTo(Decision.allow("teams"));
        assertThat(decide(engine, ns("ai-agents"), model("gpt-4")).allowed()).isFalse();
        assertThat(decide(engine, Principal.ANONYMOUS, model("gpt-4")).allowed()).isFalse();
    }

    @Test
    void defaultActionAllowLetsUnmatchedCallsThroughButDeniesStillWin() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  default_action: allow
                  policies:
                    - {name: no-prod-tools, match: {kubernetes: {namespace: production}}, resources: ["mcp:*"], action: deny}
                """);
        assertThat(decide(engine, ns("dev"), new Resource.McpTool("fs", "write_file"))).isEqualTo(Decision.allow("default"));
        assertThat(decide(engine, ns("production"), model("gpt-4"))).isEqualTo(Decision.allow("default"));
        assertThat(decide(engine, ns("production"), new Resource.McpTool("fs", "write_file")))
                .isEqualTo(Decision.deny("no-prod-tools", "denied by policy no-prod-tools"));
    }

    @Test
    void defaultActionDenyEvenWithoutPolicies() {
        AuthorizationPolicies engine = engine("authorization: {default_action: deny}\n");
        Decision d = decide(engine, ns("dev"), model("gpt-4"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.policy()).isEqualTo("default");
        assertThat(d.reason()).contains("default_action is deny");
    }

    @Test
    void withoutDefaultActionUnmatchedCallsAreDeniedOncePoliciesExist() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: dev, match: {kubernetes: {namespace: dev}}, resources: ["model:*"], action: allow}
                """);
        assertThat(decide(engine, ns("other"), model("gpt-4"))).isEqualTo(
                Decision.deny("default", "no policy allows it and authorization.default_action is deny"));
    }

    @Test
    void resourcesOfEveryKind() {
        AuthorizationPolicies engine = engine("""
                authorization:
                  policies:
                    - {name: tools, resources: ["mcp:filesystem-server/read_*"], action: allow}
                    - {name: agents, resources: ["agent:dev-team/*"], action: allow}
                """);
        Principal p = ns("dev-team");
        assertThat(decide(engine, p, new Resource.McpTool("filesystem-server", "read_file"))).isEqualTo(Decision.allow("tools"));
        assertThat(decide(engine, p, new Resource.McpTool("filesystem-server", "write_file")).allowed()).isFalse();
        assertThat(decide(engine, p, new Resource.Agent("dev-team", "code-assistant"))).isEqualTo(Decision.allow("agents"));
        assertThat(decide(engine, p, new Resource.Agent("production", "code-assistant")).allowed()).isFalse();
    }

    private static String indent(String s) {
        return s.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
