package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A2A objects shaped field for field as the A2A specification shows them: 0.3 (objects tagged
 * with {@code kind}, lower-case states, {@code url} + {@code additionalInterfaces} on the card) and
 * 1.0 (results wrapped in {@code task} / {@code statusUpdate} / {@code artifactUpdate},
 * {@code TASK_STATE_*} states, {@code supportedInterfaces} on the card).
 */
public final class A2aWire {
    public static final ObjectMapper JSON = new ObjectMapper();

    private A2aWire() {
    }

    /** An A2A 0.3 agent card as an agent serves it at {@code /.well-known/agent-card.json}. */
    public static ObjectNode card(String url) {
        ObjectNode card = JSON.createObjectNode();
        card.put("protocolVersion", "0.3.0");
        card.put("name", "Code Assistant");
        card.put("description", "Reviews code and writes documentation");
        card.put("url", url);
        card.put("preferredTransport", "JSONRPC");
        ArrayNode interfaces = card.putArray("additionalInterfaces");
        interfaces.addObject().put("url", url).put("transport", "JSONRPC");
        interfaces.addObject().put("url", url.replace("http://", "grpc://") + "grpc").put("transport", "GRPC");
        card.put("iconUrl", "https://example.com/icon.png");
        card.putObject("provider").put("organization", "Platform Team").put("url", "https://example.com/platform");
        card.put("version", "1.4.0");
        card.put("documentationUrl", "https://example.com/docs/code-assistant");
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false)
                .put("stateTransitionHistory", false);
        card.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
        card.putArray("security").addObject().putArray("bearer");
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain").add("application/json");
        ObjectNode skill = card.putArray("skills").addObject();
        skill.put("id", "code-review");
        skill.put("name", "Code review");
        skill.put("description", "Reviews a change and suggests improvements");
        skill.putArray("tags").add("code").add("review");
        skill.putArray("examples").add("Review this pull request");
        card.put("supportsAuthenticatedExtendedCard", true);
        return card;
    }

    /** An A2A 1.0 agent card: endpoints only in {@code supportedInterfaces}. */
    public static ObjectNode cardV1(String url) {
        ObjectNode card = JSON.createObjectNode();
        card.put("name", "Code Assistant");
        card.put("description", "Reviews code and writes documentation");
        ArrayNode interfaces = card.putArray("supportedInterfaces");
        interfaces.addObject().put("url", url).put("protocolBinding", "JSONRPC").put("protocolVersion", "1.0");
        interfaces.addObject().put("url", url + "v1").put("protocolBinding", "HTTP+JSON").put("protocolVersion", "1.0");
        card.putObject("provider").put("organization", "Platform Team").put("url", "https://example.com/platform");
        card.put("version", "2.0.0");
        card.putObject("capabilities").put("streaming", true).put("extendedAgentCard", false);
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain");
        card.putArray("skills").addObject().put("id", "code-review").put("name", "Code review")
                .put("description", "Reviews a change").putArray("tags").add("code");
        return card;
    }

    public static ObjectNode textPart(String text) {
        return JSON.createObjectNode().put("kind", "text").put("text", text);
    }

    /** A 0.3 message. */
    public static ObjectNode message(String role, String text, String messageId, String taskId, String contextId) {
        ObjectNode m = JSON.createObjectNode();
        m.put("role", role);
        m.putArray("parts").add(textPart(text));
        m.put("messageId", messageId);
        if (taskId != null) {
            m.put("taskId", taskId);
        }
        if (contextId != null) {
            m.put("contextId", contextId);
        }
        m.put("kind", "message");
        return m;
    }

    public static ObjectNode status(String state) {
        return JSON.createObjectNode().put("state", state).put("timestamp", "2026-11-26T01:02:03.456Z");
    }

    /** A 0.3 task. */
    public static ObjectNode task(String id, String contextId, String state, JsonNode history, String answer) {
        ObjectNode t = JSON.createObjectNode();
        t.put("id", id);
        t.put("contextId", contextId);
        t.set("status", status(state));
        if (answer != null) {
            ObjectNode artifact = t.putArray("artifacts").addObject();
            artifact.put("artifactId", "artifact-" + id);
            artifact.put("name", "answer");
            artifact.putArray("parts").add(textPart(answer));
        }
        if (history != null) {
            t.putArray("history").add(history);
        }
        t.put("kind", "task");
        return t;
    }

    public static ObjectNode statusUpdate(String taskId, String contextId, String state, boolean isFinal) {
        ObjectNode e = JSON.createObjectNode();
        e.put("taskId", taskId);
        e.put("contextId", contextId);
        e.put("kind", "status-update");
        e.set("status", status(state));
        e.put("final", isFinal);
        return e;
    }

    public static ObjectNode artifactUpdate(String taskId, String contextId, String text, boolean append, boolean last) {
        ObjectNode e = JSON.createObjectNode();
        e.put("taskId", taskId);
        e.put("contextId", contextId);
        e.put("kind", "artifact-update");
        ObjectNode artifact = e.putObject("artifact");
        artifact.put("artifactId", "artifact-" + taskId);
        artifact.put("name", "answer");
        artifact.putArray("parts").add(textPart(text));
        e.put("append", append);
        e.put("lastChunk", last);
        return e;
    }

    /** The A2A 1.0 form of a 0.3 object: wrapped by kind, states as TASK_STATE_*, no kind field. */
    public static ObjectNode v1(ObjectNode v03) {
        ObjectNode copy = v03.deepCopy();
        String kind = copy.remove("kind").asText();
        copy.remove("final");
        if (copy.has("status")) {
            String state = copy.get("status").get("state").asText();
            ((ObjectNode) copy.get("status")).put("state", "TASK_STATE_" + state.toUpperCase().replace('-', '_'));
        }
        String wrapper = switch (kind) {
            case "status-update" -> "statusUpdate";
            case "artifact-update" -> "artifactUpdate";
            default -> kind;
        };
        ObjectNode out = JSON.createObjectNode();
        out.set(wrapper, copy);
        return out;
    }

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", id);
        r.set("result", result);
        return r;
    }

    public static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", id);
        r.putObject("error").put("code", code).put("message", message);
        return r;
    }

    /** A client's {@code message/send} (or another send method) request. */
    public static ObjectNode sendRequest(Object id, String method, String text, String taskId, String contextId) {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", JSON.valueToTree(id));
        r.put("method", method);
        ObjectNode params = r.putObject("params");
        params.set("message", message("user", text, "msg-" + id, taskId, contextId));
        return r;
    }

    /** A client's request naming a task ({@code tasks/get}, {@code tasks/cancel}, ...). */
    public static ObjectNode taskRequest(Object id, String method, String taskId) {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", JSON.valueToTree(id));
        r.put("method", method);
        r.putObject("params").put("id", taskId);
        return r;
    }
}
