package io.agentgateway.a2a;

import java.util.Set;

/**
 * The A2A JSON-RPC method names the gateway knows: A2A 0.3 ({@code message/send}) and A2A 1.0
 * ({@code SendMessage}, sent with {@code A2A-Version: 1.0}). Requests are forwarded whatever the
 * method (the agent answers an unknown one with {@code -32601}); the names decide the timeout,
 * where the task id sits in {@code params}, and the bounded {@code method} metric label.
 */
public final class A2aMethods {
    /** Every known method, both versions. */
    public static final Set<String> ALL = Set.of(
            "message/send", "message/stream", "tasks/get", "tasks/list", "tasks/cancel", "tasks/resubscribe",
            "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get",
            "tasks/pushNotificationConfig/list", "tasks/pushNotificationConfig/delete",
            "agent/getAuthenticatedExtendedCard",
            "SendMessage", "SendStreamingMessage", "GetTask", "ListTasks", "CancelTask", "SubscribeToTask",
            "SetTaskPushNotificationConfig", "CreateTaskPushNotificationConfig", "GetTaskPushNotificationConfig",
            "ListTaskPushNotificationConfig", "ListTaskPushNotificationConfigs", "DeleteTaskPushNotificationConfig",
            "GetExtendedAgentCard");

    private static final Set<String> STREAMING = Set.of(
            "message/stream", "tasks/resubscribe", "SendStreamingMessage", "SubscribeToTask");
    private static final Set<String> SEND = Set.of(
            "message/send", "message/stream", "SendMessage", "SendStreamingMessage");
    private static final Set<String> TASK_BY_ID = Set.of(
            "tasks/get", "tasks/cancel", "tasks/resubscribe", "GetTask", "CancelTask", "SubscribeToTask");
    private static final Set<String> EXTENDED_CARD = Set.of("agent/getAuthenticatedExtendedCard", "GetExtendedAgentCard");

    private A2aMethods() {
    }

    /** Methods answered with an event stream, held open for {@code a2a.stream_timeout}. */
    static boolean isStreaming(String method) {
        return STREAMING.contains(method);
    }

    /** Methods whose {@code params.message} carries the task and context ids. */
    static boolean isSend(String method) {
        return SEND.contains(method);
    }

    /** Methods whose {@code params.id} is the task id. */
    static boolean takesTaskId(String method) {
        return TASK_BY_ID.contains(method);
    }

    static boolean isPushConfig(String method) {
        return method.startsWith("tasks/pushNotificationConfig/") || method.endsWith("TaskPushNotificationConfig")
                || method.endsWith("TaskPushNotificationConfigs");
    }

    /** Methods whose result is an agent card, which is rewritten like the public one. */
    static boolean returnsCard(String method) {
        return EXTENDED_CARD.contains(method);
    }
}
