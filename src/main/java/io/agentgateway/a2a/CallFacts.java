package io.agentgateway.a2a;

import io.agentgateway.server.Exchange;

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
        put(ex, A2aAttributes.METHOD, method);
        put(ex, A2aAttributes.TASK_ID, taskId);
        put(ex, A2aAttributes.CONTEXT_ID, contextId);
        put(ex, A2aAttributes.TASK_STATE, state);
        put(ex, A2aAttributes.ERROR_CODE, errorCode);
    }

    private static void put(Exchange ex, String key, Object value) {
        if (value != null) {
            ex.attribute(key, value);
        }
    }
}
