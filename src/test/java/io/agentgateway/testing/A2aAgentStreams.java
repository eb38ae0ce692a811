package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event streams of {@link FakeA2aAgent}: {@code message/stream} as the A2A specification
 * shows it (the Task first, then status and artifact updates, the last one final), each event
 * written on its own; and streams held open for a task that waits until it is cancelled.
 */
final class A2aAgentStreams {
    private final FakeA2aAgent agent;
    private final Map<String, List<Subscriber>> open = new ConcurrentHashMap<>();

    private record Subscriber(HttpServerResponse response, JsonNode id, boolean v1) {
    }

    A2aAgentStreams(FakeA2aAgent agent) {
        this.agent = agent;
    }

    /** The A2A 0.3 name of an A2A 1.0 method (what this agent implements), or "unknown". */
    static String v03Name(String v1Method) {
        return switch (v1Method) {
            case "SendMessage" -> "message/send";
            case "SendStreamingMessage" -> "message/stream";
            case "GetTask" -> "tasks/get";
            case "CancelTask" -> "tasks/cancel";
            case "SubscribeToTask" -> "tasks/resubscribe";
            default -> "unknown";
        };
    }

    void stream(HttpServerResponse response, JsonNode id, JsonNode params, boolean v1, FakeA2aAgent.Behaviour misbehaviour) {
        JsonNode message = params.path("message");
        String text = message.path("parts").path(0).path("text").asText();
        String taskId = agent.newTaskId();
        String contextId = message.path("contextId").asText("ctx-" + taskId);
        List<ObjectNode> events = new ArrayList<>();
        events.add(A2aWire.task(taskId, contextId, "submitted", message, null));
        events.add(A2aWire.statusUpdate(taskId, contextId, "working", false));
        begin(response);
        if (text.equals("wait")) {
            ObjectNode task = A2aWire.task(taskId, contextId, "working", message, null);
            agent.tasks.put(taskId, task);
            open.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(new Subscriber(response, id, v1));
            write(response, id, v1, events, 0, 1, -1, false);
            return;
        }
        events.add(A2aWire.artifactUpdate(taskId, contextId, "echo: ", false, false));
        events.add(A2aWire.artifactUpdate(taskId, contextId, text, true, true));
        events.add(A2aWire.statusUpdate(taskId, contextId, "completed", true));
        agent.tasks.put(taskId, A2aWire.task(taskId, contextId, "completed", message, "echo: " + text));
        switch (misbehaviour) {
            case FakeA2aAgent.BreakMidStream b -> write(response, id, v1, events.subList(0, b.events()), 0, 1, -1, true);
            case FakeA2aAgent.EndEarly e -> write(response, id, v1, events.subList(0, e.events()), 0, 1, e.events(), false);
            case FakeA2aAgent.SlowStream s -> write(response, id, v1, events, 0, s.gapMillis(), events.size(), false);
            case null, default -> write(response, id, v1, events, 0, 1, events.size(), false);
        }
    }

    /** {@code tasks/resubscribe}: the current status now, the rest as it happens. */
    void resubscribe(HttpServerResponse response, JsonNode id, JsonNode params, boolean v1) {
        String taskId = params.path("id").asText();
        ObjectNode task = agent.tasks.get(taskId);
        if (task == null) {
            FakeA2aAgent.json(response, A2aWire.error(id, -32001, "Task not found"));
            return;
        }
        String state = task.path("status").path("state").asText();
        if (!state.equals("working") && !state.equals("submitted")) {
            FakeA2aAgent.json(response, A2aWire.error(id, -32004, "Task is in a terminal state"));
            return;
        }
        begin(response);
        open.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(new Subscriber(response, id, v1));
        String contextId = task.path("contextId").asText();
        write(response, id, v1, List.of(A2aWire.statusUpdate(taskId, contextId, state, false)), 0, 1, -1, false);
    }

    /** A waiting task was cancelled: its open streams get the final event and end. */
    void canceled(String taskId, ObjectNode task) {
        List<Subscriber> subscribers = open.remove(taskId);
        if (subscribers == null) {
            return;
        }
        ObjectNode event = A2aWire.statusUpdate(taskId, task.path("contextId").asText(), "canceled", true);
        for (Subscriber s : subscribers) {
            if (!s.response().closed()) {
                s.response().end(data(s.id(), s.v1(), event));
            }
        }
    }

    private void begin(HttpServerResponse response) {
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        response.closeHandler(v -> {
            if (!response.ended()) {
                agent.streamClosedEarly();
            }
        });
    }

    /**
     * Writes events {@code i..} one by one, {@code gap} ms apart, then ends the response after
     * {@code endAfter} events (-1: keep it open), or breaks the connection off when {@code breakOff}.
     */
    private void write(HttpServerResponse response, JsonNode id, boolean v1, List<ObjectNode> events, int i, long gap,
                       int endAfter, boolean breakOff) {
        if (response.closed() || response.ended()) {
            return;
        }
        if (i == events.size()) {
            if (breakOff) {
                response.reset();
            } else if (endAfter >= 0) {
                response.end();
            }
            return;
        }
        agent.vertx().setTimer(Math.max(1, gap), t -> {
            if (!response.closed() && !response.ended()) {
                response.write(data(id, v1, events.get(i)));
                write(response, id, v1, events, i + 1, gap, endAfter, breakOff);
            }
        });
    }

    private static String data(JsonNode id, boolean v1, ObjectNode event) {
        return "data: " + A2aWire.result(id, v1 ? A2aWire.v1(event) : event) + "\n\n";
    }
}
