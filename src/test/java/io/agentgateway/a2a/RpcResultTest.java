package io.agentgateway.a2a;

import io.agentgateway.testing.A2aWire;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the gateway reads of agents' answers, in both wire versions, without building a tree. */
class RpcResultTest {
    static RpcResult scan(Object json) {
        return RpcResult.scan(io.vertx.core.buffer.Buffer.buffer(json.toString()));
    }

    @Test
    void aTaskGivesItsIdContextAndState() {
        RpcResult r = scan(A2aWire.result(A2aWire.JSON.valueToTree(1), A2aWire.task("t-1", "c-1", "completed",
                A2aWire.message("user", "hi", "m-1", "other-task", "other-ctx"), "answer")));
        assertThat(r.json()).isTrue();
        assertThat(r.error()).isFalse();
        assertThat(r.kind()).isEqualTo("task");
        assertThat(r.taskId()).isEqualTo("t-1");
        assertThat(r.contextId()).isEqualTo("c-1");
        assertThat(r.state()).isEqualTo("completed");
        assertThat(r.endsStream()).isTrue();
    }

    @Test
    void aMessageHasNoTaskUnlessItNamesOne() {
        RpcResult r = scan(A2aWire.result(A2aWire.JSON.valueToTree("x"), A2aWire.message("agent", "hi", "m-2", null, "c-2")));
        assertThat(r.kind()).isEqualTo("message");
        assertThat(r.taskId()).isNull();
        assertThat(r.contextId()).isEqualTo("c-2");
        assertThat(r.endsStream()).isTrue();
    }

    @Test
    void streamEventsEndTheStreamOnlyWhenFinal() {
        RpcResult working = scan(A2aWire.result(null, A2aWire.statusUpdate("t-3", "c-3", "working", false)));
        assertThat(working.taskId()).isEqualTo("t-3");
        assertThat(working.state()).isEqualTo("working");
        assertThat(working.endsStream()).isFalse();
        assertThat(scan(A2aWire.result(null, A2aWire.artifactUpdate("t-3", "c-3", "chunk", true, false))).endsStream()).isFalse();
        assertThat(scan(A2aWire.result(null, A2aWire.statusUpdate("t-3", "c-3", "input-required", true))).endsStream()).isTrue();
    }

    @Test
    void a2a10WrappersAndStatesAreUnderstood() {
        RpcResult task = scan(A2aWire.result(null, A2aWire.v1(A2aWire.task("t-4", "c-4", "input-required", null, null))));
        assertThat(task.kind()).isEqualTo("task");
        assertThat(task.taskId()).isEqualTo("t-4");
        assertThat(task.state()).isEqualTo("input-required");
        assertThat(task.endsStream()).isTrue();
        RpcResult update = scan(A2aWire.result(null, A2aWire.v1(A2aWire.statusUpdate("t-4", "c-4", "working", false))));
        assertThat(update.kind()).isEqualTo("status-update");
        assertThat(update.state()).isEqualTo("working");
        assertThat(update.endsStream()).isFalse();
        assertThat(scan(A2aWire.result(null, A2aWire.v1(A2aWire.statusUpdate("t-4", "c-4", "completed", true)))).endsStream()).isTrue();
    }

    @Test
    void errorsAndNonsense() {
        RpcResult error = scan(A2aWire.error(A2aWire.JSON.valueToTree(5), -32001, "Task not found"));
        assertThat(error.error()).isTrue();
        assertThat(error.errorCode()).isEqualTo(-32001);
        assertThat(error.endsStream()).isTrue();
        assertThat(scan("<html>").json()).isFalse();
        assertThat(scan("[1,2]").json()).isFalse();
        assertThat(scan("{\"result\": {\"id\": \"t\", \"status\": {\"state\": ").json()).isFalse();
    }
}
