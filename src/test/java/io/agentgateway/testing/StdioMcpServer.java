package io.agentgateway.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;

import java.io.File;
import java.util.List;

/**
 * A real stdio MCP server (the MCP Java SDK's stdio transport) offering {@link McpTools}; the
 * gateway starts it as a child process with {@link #command(String)}. Logs go to stderr, as the
 * stdio transport requires.
 */
public final class StdioMcpServer {
    private StdioMcpServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String name = args.length > 0 ? args[0] : "stdio";
        System.err.println("stdio test server " + name + " starting");
        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper());
        McpTools.install(McpServer.sync(transport), name).build();
        Thread.currentThread().join();
    }

    /** The command that runs this server with the test classpath. */
    public static List<String> command(String name) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StdioMcpServer.class.getName(), name);
    }

    /** {@link #command} as a YAML flow list. */
    public static String yamlCommand(String name) {
        StringBuilder out = new StringBuilder("[");
        for (String part : command(name)) {
            out.append(out.length() > 1 ? ", " : "").append('"').append(part.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }
}
