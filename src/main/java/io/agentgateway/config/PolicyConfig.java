package io.agentgateway.config;

import java.util.List;

/** One authorization policy: who ({@code match}), what ({@code resources}), verdict, optional CEL {@code when}. */
public record PolicyConfig(
        @Required String name,
        MatchConfig match,
        @Required List<String> resources,
        @Required Action action,
        String when) {

    public PolicyConfig {
        resources = List.copyOf(resources);
    }
}
