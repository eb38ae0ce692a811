package io.agentgateway.testing;

/**
 * Configuration fragments that must keep loading exactly as they are written here, comments and
 * all ({@code examples/seed.yaml} holds them in one file): shared by the test that loads each on
 * its own and the integration tests that run them end to end. Compile-time constants, so
 * annotations may name them.
 */
public final class SeedFragments {
    /** Namespace-aware model policies: production may use gpt-4, development any model. */
    public static final String POLICIES = """
            authorization:
              policies:
                # Production namespace - restricted models
                - name: prod-policy
                  match:
                    kubernetes:
                      namespace: production
                  resources:
                    - "model:gpt-4"
                  action: allow
                # Dev namespace - broader access
                - name: dev-policy
                  match:
                    kubernetes:
                      namespace: development
                  resources:
                    - "model:*"
                  action: allow
            """;

    /** Daily token budgets of dev-team (1M) and production (5M). */
    public static final String BUDGETS = """
            rate_limiting:
              - name: dev-team-budget
                match:
                  kubernetes:
                    namespace: dev-team
                limit: 1000000 # tokens per day
                window: 24h
                limit_by: tokens
              - name: prod-budget
                match:
                  kubernetes:
                    namespace: production
                limit: 5000000
                window: 24h
                limit_by: tokens
            """;

    private SeedFragments() {
    }
}
