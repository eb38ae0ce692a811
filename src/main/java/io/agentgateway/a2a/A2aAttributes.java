package io.agentgateway.a2a;

import io.agentgateway.server.Facts;

/**
 * The names under which an A2A exchange's facts ({@link Facts.A2a}, written typed) appear in
 * {@link io.agentgateway.server.Exchange#attributes()}, spans and audit events.
 */
public final class A2aAttributes {
    /** The JSON-RPC method as sent (cut at 100 characters). */
    public static final String METHOD = Facts.A2a.METHOD.name();
    public static final String TASK_ID = Facts.A2a.TASK_ID.name();
    public static final String CONTEXT_ID = Facts.A2a.CONTEXT_ID.name();
    /** The last task state the agent reported ({@code completed}, {@code input-required}...), normalised to A2A 0.3 spelling. */
    public static final String TASK_STATE = Facts.A2a.TASK_STATE.name();
    /** The JSON-RPC error code the agent answered with, if it answered with an error. */
    public static final String ERROR_CODE = Facts.A2a.ERROR_CODE.name();
    /** The {@code a2a.authorization} rule that decided (also when the resource policies refused afterwards). */
    public static final String RULE = Facts.A2a.RULE.name();
    /** True when the answer was an event stream. */
    public static final String STREAM = Facts.A2a.STREAM.name();
    public static final String UPSTREAM_STATUS = Facts.A2a.UPSTREAM_STATUS.name();

    private A2aAttributes() {
    }
}
