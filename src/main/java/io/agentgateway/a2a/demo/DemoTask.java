package io.agentgateway.a2a.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One demo task in A2A 0.3 shapes: its answer as a completed {@code Task}, or as the events of a
 * stream. The answer is streamed in two chunks: the agent's preamble, then the text it read.
 */
final class DemoTask {
    private static final String ARTIFACT = "answer";

    private final String id;
    private final String contextId;
    private final String preamble;
    private final String text;
    private final Clock clock;

    /** @param preamble who answers ({@code "reviewer (a demo agent in dev-team) read:"}); {@code text} what it read */
    DemoTask(String id, String contextId, String preamble, String text, Clock clock) {
        this.id = id;
        this.contextId = contextId;
        this.preamble = preamble;
        this.text = text;
        this.clock = clock;
    }

    ObjectNode completed() {
        ObjectNode task = task("completed");
        ObjectNode artifact = task.putArray("artifacts").addObject().put("artifactId", ARTIFACT).put("name", ARTIFACT);
        artifact.putArray("parts").addObject().put("kind", "text").put("text", preamble + " " + text);
        return task;
    }

    List<ObjectNode> events() {
        List<ObjectNode> out = new ArrayList<>();
        out.add(task("submitted"));
        out.add(status("working", false));
        out.add(chunk(preamble, false, false));
        out.add(chunk(" " + text, true, true));
        out.add(status("completed", true));
        return out;
    }

    private ObjectNode task(String state) {
        ObjectNode task = Json.MAPPER.createObjectNode().put("kind", "task").put("id", id).put("contextId", contextId);
        task.putObject("status").put("state", state).put("timestamp", clock.instant().toString());
        return task;
    }

    private ObjectNode status(String state, boolean last) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("kind", "status-update").put("taskId", id).put("contextId", contextId);
        event.putObject("status").put("state", state).put("timestamp", clock.instant().toString());
        event.put("final", last);
        return event;
    }

    private ObjectNode chunk(String part, boolean append, boolean last) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("kind", "artifact-update").put("taskId", id).put("contextId", contextId);
        ObjectNode artifact = event.putObject("artifact").put("artifactId", ARTIFACT).put("name", ARTIFACT);
        artifact.putArray("parts").addObject().put("kind", "text").put("text", part);
        event.put("append", append).put("lastChunk", last);
        return event;
    }
}
