package io.agentgateway.mcp;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * JSON-RPC ids as map keys, and the federated form of ids the gateway hands a client for a
 * server's request: {@code SERVER__<original id as JSON>}, so the client's response can be routed
 * back to the server that asked, with the id it used (number or string) restored.
 */
final class Ids {
    static final String SEPARATOR = "__";

    private Ids() {
    }

    /** A key that tells {@code 1} from {@code "1"} and ignores how a number was parsed. */
    static String key(JsonNode id) {
        if (id == null || id.isNull()) {
            return "null";
        }
        return (id.isTextual() ? "s:" : "n:") + id.asText();
    }

    static JsonNode prefix(String server, JsonNode id) {
        return TextNode.valueOf(server + SEPARATOR + id.toString());
    }

    /** The server named in a prefixed id, or null when the id is not of that form. */
    static String server(JsonNode id) {
        if (id == null || !id.isTextual()) {
            return null;
        }
        int at = id.asText().indexOf(SEPARATOR);
        return at <= 0 ? null : id.asText().substring(0, at);
    }

    /** The original id inside a prefixed one, or null when it is not of that form. */
    static JsonNode unprefix(JsonNode id) {
        String server = server(id);
        if (server == null) {
            return null;
        }
        try {
            JsonNode original = Jackson.EXACT.readTree(id.asText().substring(server.length() + SEPARATOR.length()));
            return original != null && (original.isTextual() || original.isIntegralNumber()) ? original : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
