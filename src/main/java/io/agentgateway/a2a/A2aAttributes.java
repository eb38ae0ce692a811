package io.agentgateway.a2a;

/**
 * The names under which an A2A exchange records its facts ({@link io.agentgateway.server.Exchange#attribute}),
 * for metrics, spans and audit. The span attribute names are {@code a2a.method.name} and
 * {@code a2a.task.id}.
 */
public final class A2aAttributes {
    /** The JSON-RPC method as sent (cut at 100 characters). */
    public static final String METHOD = "a2a.method.name";
    public static final String TASK_ID = "a2a.task.id";
    public static final String CONTEXT_ID = "a2a.context.id";
    /** The last task state the agent reported ({@code completed}, {@code input-required}...), normalised to A2A 0.3 spelling. */
    public static final String TASK_STATE = "a2a.task.state";
    /** The JSON-RPC error code the agent answered with, if it answered with an error. */
    public static final String ERROR_CODE = "a2a.error.code";
    /** The {@code a2a.authorization} rule that decided (also when the resource policies refused afterwards). */
    public static final String RULE = "a2a.rule";
    /** True when the answer was an event stream. */
    public static final String STREAM = "a2a.stream";
    public static final String UPSTREAM_STATUS = "upstream_status";

    private A2aAttributes() {
    }
}
