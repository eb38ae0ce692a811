package io.agentgateway.testing;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * A real MCP server built with the MCP Java SDK, served by embedded Tomcat on a loopback
 * ephemeral port: Streamable HTTP at {@code /mcp}, or the legacy HTTP+SSE transport at
 * {@code /sse} + {@code /message}. Offers {@link McpTools}. Close it after the test.
 */
public final class McpHttpServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final McpSyncServer server;
    private final int port;
    private final String path;

    private McpHttpServer(Tomcat tomcat, McpSyncServer server, int port, String path) {
        this.tomcat = tomcat;
        this.server = server;
        this.port = port;
        this.path = path;
    }

    public static McpHttpServer streamable(String name) {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp").build();
        McpSyncServer server = McpTools.install(McpServer.sync(transport), name).build();
        return serve(transport, server, "/mcp");
    }

    // The legacy HTTP+SSE transport is deprecated in the SDK, and still what older servers speak: the gateway must keep serving it.
    @SuppressWarnings("deprecation")
    public static McpHttpServer sse(String name) {
        HttpServletSseServerTransportProvider transport = HttpServletSseServerTransportProvider.builder()
                .sseEndpoint("/sse").messageEndpoint("/message").build();
        McpSyncServer server = McpTools.install(McpServer.sync(transport), name).build();
        return serve(transport, server, "/sse");
    }

    /** Serves {@code servlet} (an SDK transport of {@code server}) at {@code /*} on a loopback ephemeral port; {@code path} is its endpoint. */
    public static McpHttpServer serve(HttpServlet servlet, McpSyncServer server, String path) {
        try {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("mcp-tomcat").toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.getService().addConnector(connector);
            tomcat.setConnector(connector);
            Context ctx = tomcat.addContext("", null);
            Wrapper wrapper = Tomcat.addServlet(ctx, "mcp", servlet);
            wrapper.setAsyncSupported(true);
            wrapper.addMapping("/*");
            tomcat.start();
            return new McpHttpServer(tomcat, server, connector.getLocalPort(), path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's endpoint URL: {@code .../mcp} (Streamable HTTP) or {@code .../sse} (legacy). */
    public String url() {
        return "http://127.0.0.1:" + port + path;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.closeGracefully();
        } catch (RuntimeException e) {
            // closing anyway
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            // closing anyway
        }
    }
}
