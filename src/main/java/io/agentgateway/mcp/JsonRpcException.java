package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failure that is answered as a JSON-RPC error object: bad input found while parsing (-32700,
 * -32600, -32602) or an upstream that did not answer (-32001, -32603). The message is safe to
 * show the caller.
 */
public final class JsonRpcException extends RuntimeException {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** The MCP SDKs' code for a request that timed out. */
    public static final int REQUEST_TIMEOUT = -32001;
    /** The gateway's code for a refusal (authorization, budget). */
    public static final int REFUSED = -32003;

    private final int code;
    private final JsonNode id;

    public JsonRpcException(int code, String message) {
        this(code, message, null);
    }

    public JsonRpcException(int code, String message, JsonNode id) {
        super(message, null, false, false);
        this.code = code;
        this.id = id;
    }

    public int code() {
        return code;
    }

    /** The id of the request it answers, when it was found before the failure. */
    public JsonNode id() {
        return id;
    }

    /** {@code {"jsonrpc":"2.0","id":ID,"error":{"code":..,"message":..}}}; a null id is written as null. */
    public static ObjectNode errorResponse(JsonNode id, int code, String message, ObjectNode data) {
        ObjectNode out = Message.MAPPER.createObjectNode();
        out.put("jsonrpc", "2.0");
        if (id == null) {
            out.putNull("id");
        } else {
            out.set("id", id);
        }
        ObjectNode error = out.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", data);
        }
        return out;
    }
}
