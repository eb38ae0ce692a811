package io.agentgateway.mcp;

import java.util.Set;

/** MCP method names the gateway acts on, and the known ones (metrics label values). */
final class Methods {
    static final String INITIALIZE = "initialize";
    static final String INITIALIZED = "notifications/initialized";
    static final String PING = "ping";
    static final String TOOLS_LIST = "tools/list";
    static final String TOOLS_CALL = "tools/call";
    static final String PROMPTS_LIST = "prompts/list";
    static final String PROMPTS_GET = "prompts/get";
    static final String RESOURCES_LIST = "resources/list";
    static final String RESOURCES_READ = "resources/read";
    static final String RESOURCE_TEMPLATES_LIST = "resources/templates/list";
    static final String RESOURCES_SUBSCRIBE = "resources/subscribe";
    static final String RESOURCES_UNSUBSCRIBE = "resources/unsubscribe";
    static final String RESOURCES_UPDATED = "notifications/resources/updated";
    static final String COMPLETE = "completion/complete";
    static final String SET_LEVEL = "logging/setLevel";
    static final String PROGRESS = "notifications/progress";
    static final String CANCELLED = "notifications/cancelled";

    /** Every method of MCP 2025-11-25; anything else is counted as {@code other}. */
    static final Set<String> KNOWN = Set.of(INITIALIZE, INITIALIZED, PING, TOOLS_LIST, TOOLS_CALL, PROMPTS_LIST,
            PROMPTS_GET, RESOURCES_LIST, RESOURCES_READ, RESOURCE_TEMPLATES_LIST, RESOURCES_SUBSCRIBE,
            RESOURCES_UNSUBSCRIBE, COMPLETE, SET_LEVEL, PROGRESS, CANCELLED, "notifications/roots/list_changed",
            "sampling/createMessage", "elicitation/create", "roots/list", "tasks/get", "tasks/result", "tasks/list",
            "tasks/cancel", "notifications/message", "notifications/tools/list_changed",
            "notifications/prompts/list_changed", "notifications/resources/list_changed", RESOURCES_UPDATED,
            "stream", "session.delete", "response");

    /** Protocol versions the gateway speaks, oldest first. */
    static final java.util.List<String> VERSIONS = java.util.List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25");
    static final String LATEST = "2025-11-25";

    private Methods() {
    }
}
