package io.agentgateway.policy;

import io.agentgateway.identity.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.agentgateway.policy.Policies.sa;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code a2a.authorization} source -> target rules, starting with the seed's own two. */
class A2aRulesTest {
    private static final A2aRules SEED = new A2aRules(Policies.seed().a2a().authorization());

    private static Resource.Agent agent(String namespace, String name) {
        return new Resource.Agent(namespace, name);
    }

    @Test
    void devTeamMayCallDevTeam() {
        assertThat(SEED.decide(sa("dev-team", "code-assistant"), agent("dev-team", "docs-writer")))
                .isEqualTo(Decision.allow("dev-team-agents"));
    }

    @Test
    void devTeamToProductionIsDeniedByCrossNamespaceRestricted() {
        Decision d = SEED.decide(sa("dev-team", "code-assistant"), agent("production", "db-agent"));
        assertThat(d.allowed()).isFalse();
        assertThat(d.policy()).isEqualTo("cross-namespace-restricted");
        assertThat(d.reason()).contains("namespace dev-team", "agent:production/db-agent");
    }

    @Test
    void pairsNoRuleMentionsAreDeniedBecauseRulesExist() {
        for (var call : List.of(
                List.of("production", "dev-team"),     // the reverse direction
                List.of("production", "production"),
                List.of("ai-agents", "ai-agents"),
                List.of("dev-team", "ai-agents"))) {
            Decision d = SEED.decide(sa(call.get(0), "agent"), agent(call.get(1), "x"));
            assertThat(d.allowed()).as(call.toString()).isFalse();
            assertThat(d.policy()).as(call.toString()).isEqualTo(A2aRules.DEFAULT_RULE);
            assertThat(d.reason()).contains("no a2a rule allows");
        }
        assertThat(SEED.decide(Principal.ANONYMOUS, agent("dev-team", "x")).allowed()).isFalse();
    }

    @Test
    void withoutRulesEveryCallIsAllowedByDefault() {
        A2aRules none = new A2aRules(List.of());
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.decide(sa("anyone", "x"), agent("production", "db-agent"))).isEqualTo(Decision.allow("default"));
    }

    @Test
    void denyOverridesAnAllowListedBeforeIt() {
        A2aRules rules = new A2aRules(Policies.load("""
                a2a:
                  authorization:
                    - {name: dev-anywhere, source: {namespace: dev-team}, target: {namespaces: [dev-team, production]}, action: allow}
                    - {name: not-the-db, source: {namespace: dev-team}, target: {namespace: production, name: "db-*"}, action: deny}
                    - {name: reviewers, source: {namespace: ci, service_account: "review-*"}, target: {name: code-assistant}, action: allow}
                """).a2a().authorization());
        assertThat(rules.decide(sa("dev-team", "a"), agent("production", "web"))).isEqualTo(Decision.allow("dev-anywhere"));
        assertThat(rules.decide(sa("dev-team", "a"), agent("production", "db-primary")).policy()).isEqualTo("not-the-db");
        assertThat(rules.decide(sa("ci", "review-bot"), agent("any-namespace", "code-assistant"))).isEqualTo(Decision.allow("reviewers"));
        assertThat(rules.decide(sa("ci", "deploy-bot"), agent("any-namespace", "code-assistant")).allowed()).isFalse();
        assertThat(rules.decide(sa("ci", "review-bot"), agent("any-namespace", "other")).allowed()).isFalse();
    }
}
