package io.agentgateway.config;

/** One {@code a2a.authorization} rule: which source may call which target agents. */
public record A2aRuleConfig(
        @Required String name,
        @Required PrincipalSelector source,
        @Required AgentSelector target,
        @Required Action action) {

    /** Which agents a rule targets; all given fields must match, absent ones match anything. */
    public record AgentSelector(String namespace, java.util.List<String> namespaces, String name) {
        public AgentSelector {
            namespaces = namespaces == null ? java.util.List.of() : java.util.List.copyOf(namespaces);
        }
    }
}
