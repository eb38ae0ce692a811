package io.agentgateway.conformance;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncCompletionSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncPromptSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceTemplateSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.agentgateway.testing.McpHttpServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Our own MCP server for the official conformance suite ({@code @modelcontextprotocol/conformance}):
 * the tools, resources, resource templates, prompts and completions its server scenarios call,
 * each answering as the scenario's description asks, built with the MCP Java SDK and served over
 * Streamable HTTP by embedded Tomcat on a loopback ephemeral port ({@link McpHttpServer}). It validates {@code Host}
 * and {@code Origin} itself (loopback only), as a local server should. Close it after the test.
 */
public final class ConformanceServer implements AutoCloseable {
    /** A 1x1 red pixel PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    /** A WAV file holding one silent sample (44-byte header, 8 kHz mono 8-bit). */
    static final String WAV = "UklGRiUAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQEAAACA";

    private final McpHttpServer http;

    private ConformanceServer(McpHttpServer http) {
        this.http = http;
    }

    public static ConformanceServer start() {
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .mcpEndpoint("/mcp")
                .httpHeaderValidator(DefaultServerTransportSecurityValidator.builder()
                        .allowedHosts(List.of("localhost:*", "127.0.0.1:*", "[::1]:*", "localhost", "127.0.0.1", "[::1]"))
                        .allowedOrigins(List.of("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"))
                        .build())
                .build();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("agentgateway-conformance", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(true).resources(true, true)
                        .logging().completions().build())
                .tools(tools()).resources(resources()).resourceTemplates(templates()).prompts(prompts())
                .completions(completions())
                .requestTimeout(java.time.Duration.ofSeconds(30))
                .build();
        return new ConformanceServer(McpHttpServer.serve(transport, server, "/mcp"));
    }

    public String url() {
        return http.url();
    }

    static List<SyncToolSpecification> tools() {
        List<SyncToolSpecification> out = new ArrayList<>();
        out.add(tool("test_simple_text", "Returns simple text", (ex, req) -> text("This is a simple text response for testing.")));
        out.add(tool("test_image_content", "Returns an image", (ex, req) -> result(image())));
        out.add(tool("test_audio_content", "Returns audio", (ex, req) -> result(McpSchema.AudioContent.builder(WAV, "audio/wav").build())));
        out.add(tool("test_embedded_resource", "Returns an embedded resource", (ex, req) -> result(embedded(
                textContents("test://embedded-resource", "text/plain", "This is an embedded resource content.")))));
        out.add(tool("test_multiple_content_types", "Returns text, an image and a resource", (ex, req) -> McpSchema.CallToolResult.builder()
                .addTextContent("Multiple content types test:")
                .addContent(image())
                .addContent(embedded(textContents("test://mixed-content-resource",
                        "application/json", "{\"test\":\"data\",\"value\":123}")))
                .build()));
        out.add(tool("test_tool_with_logging", "Logs three messages while it runs", (ex, req) -> {
            log(ex, "Tool execution started");
            pause(50);
            log(ex, "Tool processing data");
            pause(50);
            log(ex, "Tool execution completed");
            return text("Tool with logging executed successfully");
        }));
        out.add(tool("test_error_handling", "Always fails", (ex, req) -> McpSchema.CallToolResult.builder().isError(true)
                .addTextContent("This tool intentionally returns an error for testing").build()));
        out.add(tool("test_tool_with_progress", "Reports progress 0, 50, 100 of 100", (ex, req) -> {
            Object token = req.meta() == null ? null : req.meta().get("progressToken");
            for (int p = 0; p <= 100; p += 50) {
                if (token != null) {
                    ex.progressNotification(McpSchema.ProgressNotification.builder(token, p).total(100.0).build());
                }
                if (p < 100) {
                    pause(50);
                }
            }
            return text("Tool with progress executed successfully");
        }));
        out.add(tool("test_sampling", "Asks the client's model", schema("prompt"), (ex, req) -> {
            if (ex.getClientCapabilities() == null || ex.getClientCapabilities().sampling() == null) {
                return error("the client does not support sampling");
            }
            McpSchema.CreateMessageResult r = ex.createMessage(McpSchema.CreateMessageRequest.builder(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                            textContent(String.valueOf(req.arguments().get("prompt"))))), 100).build());
            String said = r.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(r.content());
            return text("LLM response: " + said);
        }));
        out.add(tool("test_elicitation", "Asks the user for a name and an email", schema("message"), (ex, req) -> elicit(ex,
                String.valueOf(req.arguments().get("message")), Map.of("type", "object",
                        "properties", Map.of("username", Map.of("type", "string", "description", "User's response"),
                                "email", Map.of("type", "string", "description", "User's email address")),
                        "required", List.of("username", "email")), "User response: ")));
        out.add(tool("test_elicitation_sep1034_defaults", "Elicits values with defaults", (ex, req) -> {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("name", Map.of("type", "string", "default", "John Doe"));
            props.put("age", Map.of("type", "integer", "default", 30));
            props.put("score", Map.of("type", "number", "default", 95.5));
            props.put("status", Map.of("type", "string", "enum", List.of("active", "inactive", "pending"), "default", "active"));
            props.put("verified", Map.of("type", "boolean", "default", true));
            return elicit(ex, "Please review and update the form fields with defaults", Map.of("type", "object", "properties", props),
                    "Elicitation completed: ");
        }));
        out.add(tool("test_elicitation_sep1330_enums", "Elicits all five enum shapes", (ex, req) -> {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("untitledSingle", Map.of("type", "string", "enum", List.of("option1", "option2", "option3")));
            props.put("titledSingle", Map.of("type", "string", "oneOf", List.of(Map.of("const", "value1", "title", "First Option"),
                    Map.of("const", "value2", "title", "Second Option"), Map.of("const", "value3", "title", "Third Option"))));
            props.put("legacyEnum", Map.of("type", "string", "enum", List.of("opt1", "opt2", "opt3"),
                    "enumNames", List.of("Option One", "Option Two", "Option Three")));
            props.put("untitledMulti", Map.of("type", "array", "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))));
            props.put("titledMulti", Map.of("type", "array", "items", Map.of("anyOf", List.of(Map.of("const", "value1", "title", "First Choice"),
                    Map.of("const", "value2", "title", "Second Choice"), Map.of("const", "value3", "title", "Third Choice")))));
            return elicit(ex, "Please select options from the enum fields", Map.of("type", "object", "properties", props),
                    "Elicitation completed: ");
        }));
        out.add(SyncToolSpecification.builder().tool(McpSchema.Tool.builder("json_schema_2020_12_tool", McpJsonDefaults.getMapper(), """
                        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
                         "$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},
                         "properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},
                         "additionalProperties":false}""").description("Tool with JSON Schema 2020-12 features").build())
                .callHandler((ex, req) -> text("JSON Schema 2020-12 tool called with " + req.arguments())).build());
        return out;
    }

    static List<SyncResourceSpecification> resources() {
        return List.of(
                resource("test://static-text", "static-text", "text/plain",
                        uri -> textContents(uri, "text/plain", "This is the content of the static text resource.")),
                resource("test://static-binary", "static-binary", "image/png", uri -> McpSchema.BlobResourceContents.builder(uri, PNG).mimeType("image/png").build()),
                resource("test://watched-resource", "watched-resource", "text/plain",
                        uri -> textContents(uri, "text/plain", "Watched resource content")));
    }

    static List<SyncResourceTemplateSpecification> templates() {
        McpSchema.ResourceTemplate t = McpSchema.ResourceTemplate.builder("test://template/{id}/data", "template-data")
                .description("Data for an id").mimeType("application/json").build();
        return List.of(new SyncResourceTemplateSpecification(t, (ex, req) -> {
            String id = req.uri().substring("test://template/".length(), req.uri().length() - "/data".length());
            return McpSchema.ReadResourceResult.builder(List.of(textContents(req.uri(), "application/json",
                    "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}"))).build();
        }));
    }

    static List<SyncPromptSpecification> prompts() {
        return List.of(
                prompt("test_simple_prompt", "A simple prompt", List.of(),
                        args -> List.of(user(textContent("This is a simple prompt for testing.")))),
                prompt("test_prompt_with_arguments", "A prompt with two arguments",
                        List.of(argument("arg1", "First test argument"),
                                argument("arg2", "Second test argument")),
                        args -> List.of(user(textContent("Prompt with arguments: arg1='" + args.get("arg1")
                                + "', arg2='" + args.get("arg2") + "'")))),
                prompt("test_prompt_with_embedded_resource", "A prompt embedding a resource",
                        List.of(argument("resourceUri", "URI of the resource to embed")),
                        args -> List.of(user(embedded(textContents(
                                        String.valueOf(args.get("resourceUri")), "text/plain", "Embedded resource content for testing."))),
                                user(textContent("Please process the embedded resource above.")))),
                prompt("test_prompt_with_image", "A prompt with an image", List.of(),
                        args -> List.of(user(image()),
                                user(textContent("Please analyze the image above.")))));
    }

    static List<SyncCompletionSpecification> completions() {
        return List.of(new SyncCompletionSpecification(new McpSchema.PromptReference("test_prompt_with_arguments"), (ex, req) -> {
            String prefix = req.argument() == null || req.argument().value() == null ? "" : req.argument().value();
            List<String> values = List.of("paris", "park", "party", "test", "testValue").stream().filter(v -> v.startsWith(prefix)).toList();
            return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false));
        }));
    }

    private static McpSchema.CallToolResult elicit(McpSyncServerExchange ex, String message, Map<String, Object> schema, String prefix) {
        if (ex.getClientCapabilities() == null || ex.getClientCapabilities().elicitation() == null) {
            return error("the client does not support elicitation");
        }
        McpSchema.ElicitResult r = ex.createElicitation(McpSchema.ElicitFormRequest.builder(message, schema).build());
        return text(prefix + "action=" + r.action().name().toLowerCase(java.util.Locale.ROOT) + ", content=" + r.content());
    }

    private static void log(McpSyncServerExchange ex, String message) {
        ex.loggingNotification(McpSchema.LoggingMessageNotification.builder(McpSchema.LoggingLevel.INFO, message)
                .logger("conformance").build());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String schema(String requiredString) {
        return "{\"type\":\"object\",\"properties\":{\"" + requiredString + "\":{\"type\":\"string\"}},\"required\":[\"" + requiredString + "\"]}";
    }

    private static SyncToolSpecification tool(String name, String description,
                                              BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> call) {
        return tool(name, description, "{\"type\":\"object\",\"properties\":{}}", call);
    }

    private static SyncToolSpecification tool(String name, String description, String schema,
                                              BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> call) {
        return SyncToolSpecification.builder().tool(McpSchema.Tool.builder(name, McpJsonDefaults.getMapper(), schema)
                .description(description).build()).callHandler(call).build();
    }

    private static McpSchema.TextContent textContent(String text) {
        return McpSchema.TextContent.builder(text).build();
    }

    private static McpSchema.ImageContent image() {
        return McpSchema.ImageContent.builder(PNG, "image/png").build();
    }

    private static McpSchema.EmbeddedResource embedded(McpSchema.ResourceContents contents) {
        return McpSchema.EmbeddedResource.builder(contents).build();
    }

    private static McpSchema.PromptArgument argument(String name, String description) {
        return McpSchema.PromptArgument.builder(name).description(description).required(true).build();
    }

    private static McpSchema.TextResourceContents textContents(String uri, String mime, String text) {
        return McpSchema.TextResourceContents.builder(uri, text).mimeType(mime).build();
    }

    private static SyncResourceSpecification resource(String uri, String name, String mime,
                                                      java.util.function.Function<String, McpSchema.ResourceContents> contents) {
        McpSchema.Resource r = McpSchema.Resource.builder(uri, name).description("Conformance resource " + name)
                .mimeType(mime).build();
        return new SyncResourceSpecification(r, (ex, req) -> McpSchema.ReadResourceResult.builder(List.of(contents.apply(req.uri()))).build());
    }

    private static SyncPromptSpecification prompt(String name, String description, List<McpSchema.PromptArgument> args,
                                                  java.util.function.Function<Map<String, Object>, List<McpSchema.PromptMessage>> messages) {
        return new SyncPromptSpecification(McpSchema.Prompt.builder(name).description(description).arguments(args).build(),
                (ex, req) -> McpSchema.GetPromptResult.builder(messages.apply(req.arguments() == null ? Map.of() : req.arguments()))
                        .description(description).build());
    }

    private static McpSchema.PromptMessage user(McpSchema.Content content) {
        return new McpSchema.PromptMessage(McpSchema.Role.USER, content);
    }

    private static McpSchema.CallToolResult result(McpSchema.Content content) {
        return McpSchema.CallToolResult.builder().addContent(content).build();
    }

    private static McpSchema.CallToolResult text(String s) {
        return McpSchema.CallToolResult.builder().addTextContent(s).build();
    }

    private static McpSchema.CallToolResult error(String s) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(s).build();
    }

    @Override
    public void close() {
        http.close();
    }
}
