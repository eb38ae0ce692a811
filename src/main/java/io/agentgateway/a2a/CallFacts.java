package io.agentgateway.a2a;

import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;

/**
 * The facts of one A2A call recorded on its exchange: method, task, context and state, from the
 * request first and then from the agent's answer (the last state reported wins, so a stream
 * records its final state). Confined to the request's event loop.
 */
final class CallFacts {
    private String method;
    private String taskId;
    private String contextId;
    private String state;
    private Integer errorCode;

    void request(String method, String taskId, String contextId) {
        this.method = method;
        this.taskId = taskId;
        this.contextId = contextId;
    }

    void response(RpcResult r) {
        if (taskId == null) {
            taskId = r.taskId();
        }
        if (contextId == null) {
            contextId = r.contextId();
        }
        if (r.state() != null) {
            state = r.state();
        }
        if (r.error() && r.errorCode() != null) {
            errorCode = r.errorCode();
        }
    }

    void record(Exchange ex) {
        ex.fact(Facts.A2a.METHOD, method)
                .fact(Facts.A2a.TASK_ID, taskId)
                .fact(Facts.A2a.CONTEXT_ID, contextId)
                .fact(Facts.A2a.TASK_STATE, state)
                .fact(Facts.A2a.ERROR_CODE, errorCode);
    }
}
