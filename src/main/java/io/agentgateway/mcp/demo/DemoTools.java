package io.agentgateway.mcp.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.Json;

import java.util.Set;

/**
 * The demo MCP server's tools and what they answer. A call with wrong arguments is a tool error
 * ({@code isError: true} with a sentence saying what was wrong), as MCP wants for errors a model
 * can correct, not a protocol error.
 */
final class DemoTools {
    static final Set<String> NAMES = Set.of("echo", "add", "drop_table");

    private DemoTools() {
    }

    static ArrayNode list() {
        ArrayNode tools = Json.MAPPER.createArrayNode();
        ObjectNode echo = tool(tools, "echo", "Answers with the text it is given.");
        property(echo, "text", "string", "what to echo");
        ObjectNode add = tool(tools, "add", "Adds two numbers.");
        property(add, "a", "number", "the first number");
        property(add, "b", "number", "the second number");
        ObjectNode drop = tool(tools, "drop_table", "Drops a database table (a demo: nothing is stored, nothing is dropped).");
        property(drop, "table", "string", "the table to drop");
        return tools;
    }

    private static ObjectNode tool(ArrayNode tools, String name, String description) {
        ObjectNode tool = tools.addObject().put("name", name).put("description", description);
        ObjectNode schema = tool.putObject("inputSchema").put("type", "object");
        schema.putObject("properties");
        schema.putArray("required");
        return schema;
    }

    private static void property(ObjectNode schema, String name, String type, String description) {
        ((ObjectNode) schema.get("properties")).putObject(name).put("type", type).put("description", description);
        ((ArrayNode) schema.get("required")).add(name);
    }

    /** The {@code tools/call} result for a known tool. */
    static ObjectNode call(String name, JsonNode arguments) {
        return switch (name) {
            case "echo" -> {
                JsonNode text = arguments.path("text");
                yield text.isTextual() ? text(text.asText(), false) : text("echo needs \"text\", a string", true);
            }
            case "add" -> {
                JsonNode a = arguments.path("a");
                JsonNode b = arguments.path("b");
                yield a.isNumber() && b.isNumber()
                        ? text(a.decimalValue().add(b.decimalValue()).stripTrailingZeros().toPlainString(), false)
                        : text("add needs \"a\" and \"b\", both numbers", true);
            }
            case "drop_table" -> {
                JsonNode table = arguments.path("table");
                yield table.isTextual() ? text("dropped table " + table.asText() + " (a demo: nothing was stored)", false)
                        : text("drop_table needs \"table\", a string", true);
            }
            default -> throw new IllegalArgumentException("no demo tool " + name);
        };
    }

    private static ObjectNode text(String text, boolean isError) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", isError);
        return result;
    }
}
