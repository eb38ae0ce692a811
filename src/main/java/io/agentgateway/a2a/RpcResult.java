package io.agentgateway.a2a;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * What the gateway reads of one JSON-RPC answer of an agent (a whole response, or one event of a
 * stream): whether it is an error, and the task id, context id, task state and {@code final}
 * flag of its result. Read with Jackson's streaming parser, skipping everything else (artifacts,
 * history), so a large answer costs one pass and no tree.
 *
 * <p>Both wire shapes are understood: A2A 0.3 results carry a {@code kind}
 * ({@code task}, {@code message}, {@code status-update}, {@code artifact-update}); A2A 1.0 results
 * wrap the object in a field of that name ({@code {"task":{...}}}, {@code {"statusUpdate":{...}}}).
 * States are normalised to the 0.3 spelling ({@code TASK_STATE_INPUT_REQUIRED} ->
 * {@code input-required}).
 *
 * @param json      false when the text is not a JSON object (nothing else is then known)
 * @param error     the answer is a JSON-RPC error
 * @param errorCode its code, when it has a numeric one
 * @param kind      {@code task}, {@code message}, {@code status-update}, {@code artifact-update} or null
 */
record RpcResult(boolean json, boolean error, Integer errorCode, String kind, String taskId, String contextId,
                 String state, boolean isFinal) {

    static final RpcResult NOT_JSON = new RpcResult(false, false, null, null, null, null, null, false);

    /** States after which a task stream ends: terminal ones and those waiting for the caller. */
    private static final Set<String> ENDING = Set.of("completed", "failed", "canceled", "cancelled", "rejected",
            "input-required", "auth-required");

    /** Whether a stream is complete after this event (the last one a well-behaved agent sends). */
    boolean endsStream() {
        return error || isFinal || "message".equals(kind) || (state != null && ENDING.contains(state));
    }

    /** A JSON-RPC answer: the result under {@code result}, or an {@code error}. */
    static RpcResult scan(Buffer answer) {
        try (JsonParser p = Json.parser(answer)) {
            return scan(p, false);
        } catch (IOException e) {
            return NOT_JSON;
        }
    }

    static RpcResult scan(String text) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            return scan(p, false);
        } catch (IOException e) {
            return NOT_JSON;
        }
    }

    /**
     * An HTTP+JSON (REST) answer: the result is the object itself ({@code {"task":{...}}}, a bare
     * Task, a stream event), an {@code error} object is the binding's error.
     */
    static RpcResult scanRest(Buffer answer) {
        try (JsonParser p = Json.parser(answer)) {
            return scan(p, true);
        } catch (IOException e) {
            return NOT_JSON;
        }
    }

    static RpcResult scanRest(String text) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            return scan(p, true);
        } catch (IOException e) {
            return NOT_JSON;
        }
    }

    private static RpcResult scan(JsonParser p, boolean bare) throws IOException {
        if (bare) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return NOT_JSON;
            }
            Fields f = new Fields();
            boolean error = object(p, f, true);
            String taskId = f.taskId != null ? f.taskId : "message".equals(f.kind) ? null : f.id;
            return new RpcResult(true, error, null, f.kind, taskId, f.contextId, normalise(f.state), f.isFinal);
        }
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return NOT_JSON;
        }
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("error".equals(name) && value == JsonToken.START_OBJECT) {
                f.error = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("code".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
                        f.errorCode = p.getIntValue();
                    } else {
                        p.skipChildren();
                    }
                }
            } else if ("result".equals(name) && value == JsonToken.START_OBJECT) {
                object(p, f, true);
            } else {
                p.skipChildren();
            }
        }
        String taskId = f.taskId != null ? f.taskId : "message".equals(f.kind) ? null : f.id;
        return new RpcResult(true, f.error, f.errorCode, f.kind, taskId, f.contextId, normalise(f.state), f.isFinal);
    }

    private static final class Fields {
        boolean error;
        Integer errorCode;
        String kind;
        String id;
        String taskId;
        String contextId;
        String state;
        boolean isFinal;
    }

    /**
     * Reads the fields of a result object (positioned on its START_OBJECT) into {@code f}; true
     * when, at the top, it has an {@code error} object (an HTTP+JSON error).
     */
    private static boolean object(JsonParser p, Fields f, boolean top) throws IOException {
        boolean error = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (top && value == JsonToken.START_OBJECT && "error".equals(name)) {
                error = true;
                p.skipChildren();
            } else if (value == JsonToken.VALUE_STRING) {
                switch (name) {
                    case "kind" -> f.kind = p.getText();
                    case "id" -> f.id = RpcRequest.bounded(p.getText());
                    case "taskId" -> f.taskId = RpcRequest.bounded(p.getText());
                    case "contextId" -> f.contextId = RpcRequest.bounded(p.getText());
                    default -> {
                    }
                }
            } else if (value == JsonToken.VALUE_TRUE && "final".equals(name)) {
                f.isFinal = true;
            } else if (value == JsonToken.START_OBJECT && "status".equals(name)) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("state".equals(field) && v == JsonToken.VALUE_STRING) {
                        f.state = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (value == JsonToken.START_OBJECT && top && wrapper(name) != null) {
                f.kind = wrapper(name);
                object(p, f, false);
            } else {
                p.skipChildren();
            }
        }
        return error;
    }

    /** The 0.3 kind an A2A 1.0 result wrapper field stands for. */
    private static String wrapper(String field) {
        return switch (field) {
            case "task" -> "task";
            case "message" -> "message";
            case "statusUpdate" -> "status-update";
            case "artifactUpdate" -> "artifact-update";
            default -> null;
        };
    }

    static String normalise(String state) {
        if (state == null || state.length() > 64) {
            return null;
        }
        String s = state.toLowerCase(Locale.ROOT);
        if (s.startsWith("task_state_")) {
            s = s.substring(11);
        }
        return s.replace('_', '-');
    }
}
