package io.agentgateway.policy;

/**
 * What a request wants to use, as policies name it: {@code model:NAME}, {@code mcp:SERVER/TOOL},
 * {@code agent:NAMESPACE/NAME}. {@link #id()} is that string, computed once.
 */
public sealed interface Resource {
    String id();

    record Model(String name, String id) implements Resource {
        public Model(String name) {
            this(name, "model:" + name);
        }
    }

    record McpTool(String server, String tool, String id) implements Resource {
        public McpTool(String server, String tool) {
            this(server, tool, "mcp:" + server + "/" + tool);
        }
    }

    record Agent(String namespace, String name, String id) implements Resource {
        public Agent(String namespace, String name) {
            this(namespace, name, "agent:" + namespace + "/" + name);
        }
    }

    /** A request that names no governed resource (the model list, an MCP initialize). */
    record None(String id) implements Resource {
        public static final None INSTANCE = new None("");
    }
}
