package io.agentgateway.testing;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The tools every test MCP server (Streamable HTTP, SSE, stdio) offers, built with the MCP Java
 * SDK: a filesystem-like pair ({@code read_file}, {@code write_file}) and probes for what a
 * gateway must pass through unchanged (progress, {@code _meta}, sampling, large binary results,
 * slowness). Answers name the server, so a test can tell which upstream answered.
 */
public final class McpTools {
    /** Bytes of the image {@code big_image} returns; large enough to span many reads and SSE chunks. */
    public static final int BIG_IMAGE_BYTES = 3 * 1024 * 1024;

    /** How often each tool ran, across the in-process servers: proves a refused call never reached one. */
    public static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> CALLS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** What {@code remember} keeps: server state, per process. */
    private static final java.util.concurrent.atomic.AtomicReference<String> MEMORY = new java.util.concurrent.atomic.AtomicReference<>("nothing");

    private McpTools() {
    }

    public static int calls(String server, String tool) {
        java.util.concurrent.atomic.AtomicInteger n = CALLS.get(server + "/" + tool);
        return n == null ? 0 : n.get();
    }

    /** The image {@code big_image} returns, base64: deterministic, so a test can compare it whole. */
    public static String bigImageBase64() {
        byte[] bytes = new byte[BIG_IMAGE_BYTES];
        new Random(42).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(true).prompts(true).resources(false, true).logging().build();
    }

    public static List<SyncToolSpecification> tools(String server) {
        List<SyncToolSpecification> out = new ArrayList<>();
        out.add(tool("read_file", "Reads a file", (ex, req) -> text(server + " read " + req.arguments().get("path"))));
        out.add(tool("write_file", "Writes a file", (ex, req) -> text(server + " wrote " + req.arguments().get("path"))));
        out.add(tool("echo_meta", "Returns the _meta it was called with", (ex, req) ->
                text(String.valueOf(req.meta() == null ? Map.of() : req.meta()))));
        out.add(tool("progress", "Reports progress three times, then answers", (ex, req) -> {
            Object token = req.meta() == null ? null : req.meta().get("progressToken");
            for (int i = 1; i <= 3 && token != null; i++) {
                ex.progressNotification(new McpSchema.ProgressNotification(token, (double) i, 3.0, "step " + i, null));
            }
            return text(server + " done");
        }));
        out.add(tool("big_image", "Returns a large image", (ex, req) -> McpSchema.CallToolResult.builder()
                .addContent(new McpSchema.ImageContent(null, bigImageBase64(), "image/png", null)).build()));
        out.add(tool("sleep", "Sleeps for arguments.ms milliseconds", (ex, req) -> {
            try {
                Thread.sleep(((Number) req.arguments().get("ms")).longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text("slept");
        }));
        out.add(tool("ask_model", "Asks the client's model (sampling)", (ex, req) -> {
            McpSchema.CreateMessageResult r = ex.createMessage(McpSchema.CreateMessageRequest.builder(
                    List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, McpSchema.TextContent.builder("capital of France?").build())),
                    10).build());
            return text("model said: " + ((McpSchema.TextContent) r.content()).text());
        }));
        out.add(tool("remember", "Keeps arguments.path in the server's memory", (ex, req) -> {
            MEMORY.set(String.valueOf(req.arguments().get("path")));
            return text(server + " remembers");
        }));
        out.add(tool("recall", "Answers what the server keeps in memory", (ex, req) -> text(String.valueOf(MEMORY.get()))));
        out.add(tool("pid", "Answers the server's process id", (ex, req) -> text(Long.toString(ProcessHandle.current().pid()))));
        out.add(tool("exit", "Ends the server process mid-call (stdio only)", (ex, req) -> {
            Runtime.getRuntime().halt(3);
            return text("unreachable");
        }));
        return out.stream().map(t -> SyncToolSpecification.builder().tool(t.tool()).callHandler((ex, req) -> {
            CALLS.computeIfAbsent(server + "/" + t.tool().name(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
            return t.callHandler().apply(ex, req);
        }).build()).toList();
    }

    public static List<SyncPromptSpecification> prompts(String server) {
        return List.of(new SyncPromptSpecification(new McpSchema.Prompt("review", null, "Code review", List.of(), null, null),
                (ex, req) -> new McpSchema.GetPromptResult("review", List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                        McpSchema.TextContent.builder(server + " prompt").build())), null)));
    }

    public static List<SyncResourceSpecification> resources(String server) {
        McpSchema.Resource readme = McpSchema.Resource.builder("file:///readme.md", "readme").mimeType("text/markdown").build();
        return List.of(new SyncResourceSpecification(readme, (ex, req) -> new McpSchema.ReadResourceResult(List.of(
                new McpSchema.TextResourceContents(req.uri(), "text/markdown", server + " readme", null)), null)));
    }

    public static List<io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification> templates(String server) {
        McpSchema.ResourceTemplate notes = McpSchema.ResourceTemplate.builder("file:///notes/{name}", "notes")
                .mimeType("text/plain").build();
        return List.of(new io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification(notes,
                (ex, req) -> McpSchema.ReadResourceResult.builder(List.of(
                        McpSchema.TextResourceContents.builder(req.uri(), server + " note").mimeType("text/plain").build())).build()));
    }

    /** Adds the tools, prompts, resources and resource templates to a server spec. */
    public static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> install(McpServer.SyncSpecification<S> spec, String server) {
        return spec.serverInfo(server, "1.0").capabilities(capabilities()).instructions("Tools of " + server)
                .tools(tools(server)).prompts(prompts(server)).resources(resources(server)).resourceTemplates(templates(server))
                .requestTimeout(java.time.Duration.ofSeconds(30));
    }

    private static SyncToolSpecification tool(String name, String description,
                                              BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> call) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, McpJsonDefaults.getMapper(),
                        "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"},\"ms\":{\"type\":\"number\"}}}")
                .description(description).build();
        return SyncToolSpecification.builder().tool(tool).callHandler(call).build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).build();
    }
}
