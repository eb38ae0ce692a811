package io.agentgateway.policy;

/**
 * What a request wants to use, as policies name it: {@code model:NAME}, {@code mcp:SERVER/TOOL},
 * {@code agent:NAMESPACE/NAME}. {@link #id()} is that string, computed once.
 */
public sealed interface Resource {
    String id();

    /**
     * Parses one concrete resource string, as a policy would name it but without globs:
     * {@code model:NAME}, {@code mcp:SERVER/TOOL}, {@code agent:NAMESPACE/NAME}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code id}
     */
    static Resource parse(String id) {
        if (id.indexOf('*') >= 0) {
            throw new IllegalArgumentException("\"" + id + "\" is a pattern; name one resource (no *)");
        }
        int colon = id.indexOf(':');
        String kind = colon < 0 ? "" : id.substring(0, colon);
        String rest = colon < 0 ? "" : id.substring(colon + 1);
        int slash = rest.indexOf('/');
        boolean split = slash > 0 && slash < rest.length() - 1;
        return switch (kind) {
            case "model" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("\"" + id + "\" names no model (model:NAME)");
                }
                yield new Model(rest);
            }
            case "mcp" -> {
                if (!split) {
                    throw new IllegalArgumentException("\"" + id + "\" is not mcp:SERVER/TOOL");
                }
                yield new McpTool(rest.substring(0, slash), rest.substring(slash + 1));
            }
            case "agent" -> {
                if (!split || rest.indexOf('/', slash + 1) >= 0) {
                    throw new IllegalArgumentException("\"" + id + "\" is not agent:NAMESPACE/NAME");
                }
                yield new Agent(rest.substring(0, slash), rest.substring(slash + 1));
            }
            default -> throw new IllegalArgumentException("\"" + id
                    + "\" is not a resource (model:NAME, mcp:SERVER/TOOL or agent:NAMESPACE/NAME)");
        };
    }

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
