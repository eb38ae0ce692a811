package io.agentgateway.config;

/** The {@code match} block of a policy or rate-limit rule. Absent means every caller. */
public record MatchConfig(PrincipalSelector kubernetes) {
}
