package io.agentgateway.a2a;

import io.agentgateway.server.ErrorKind;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One call of the A2A HTTP+JSON (REST) binding, read from its method and path below
 * {@code /NAMESPACE/AGENT}: which operation it is (named as the A2A 1.0 method, so metrics, audit
 * and policies see the same names for both bindings) and the task it is about. The A2A 1.0 paths
 * ({@code /message:send}, {@code /message:stream}, {@code /tasks}, {@code /tasks/ID},
 * {@code /tasks/ID:cancel}, {@code /tasks/ID:subscribe}, {@code /tasks/ID/pushNotificationConfigs[/ID]},
 * {@code /extendedAgentCard}) are understood with an optional leading tenant segment, which also
 * covers the A2A 0.3 paths under {@code /v1} (and its {@code /v1/card}). The path itself is
 * forwarded as the caller sent it.
 *
 * @param method    the A2A 1.0 method name ({@code SendMessage}, {@code GetTask}...)
 * @param taskId    the task the path names, decoded, or null
 * @param streaming answered with an event stream
 */
record RestRoute(String method, String taskId, boolean streaming) {
    private static final String TASKS = "tasks";
    private static final String PUSH_CONFIGS = "pushNotificationConfigs";

    /**
     * @param method the HTTP method
     * @param rest   the raw path below {@code /NAMESPACE/AGENT}, starting with {@code /}, without the query
     * @throws GatewayError 404 when it is no A2A REST operation, 405 when the operation takes another method
     */
    static RestRoute of(HttpMethod method, String rest) {
        String[] s = rest.length() > 1 && rest.charAt(0) == '/' ? rest.substring(1).split("/", -1) : new String[0];
        for (String part : s) {
            if (part.isEmpty()) {
                throw notFound(method, rest);
            }
        }
        RestRoute route = match(method, s, 0);
        if (route == null && s.length > 1) {
            // A tenant (or A2A 0.3's "v1") in front of the operation.
            route = match(method, s, 1);
        }
        if (route == null) {
            throw notFound(method, rest);
        }
        return route;
    }

    /** The route of {@code s[from..]}, null when none matches; fails with 405 for a known path with another method. */
    private static RestRoute match(HttpMethod m, String[] s, int from) {
        int n = s.length - from;
        String first = n > 0 ? s[from] : null;
        if (n == 1) {
            return switch (first) {
                case "message:send" -> expect(m, HttpMethod.POST, "SendMessage", null, false);
                case "message:stream" -> expect(m, HttpMethod.POST, "SendStreamingMessage", null, true);
                case TASKS -> expect(m, HttpMethod.GET, "ListTasks", null, false);
                case "extendedAgentCard", "card" -> expect(m, HttpMethod.GET, "GetExtendedAgentCard", null, false);
                default -> null;
            };
        }
        if (!TASKS.equals(first)) {
            return null;
        }
        String idPart = s[from + 1];
        if (n == 2) {
            int colon = idPart.lastIndexOf(':');
            String verb = colon > 0 ? idPart.substring(colon + 1) : "";
            if (verb.equals("cancel")) {
                return expect(m, HttpMethod.POST, "CancelTask", decode(idPart.substring(0, colon)), false);
            }
            if (verb.equals("subscribe")) {
                // A2A 1.0 says GET; 0.3 and some 1.0 clients (@a2a-js/sdk) POST.
                if (m != HttpMethod.GET && m != HttpMethod.POST) {
                    throw methodNotAllowed(m, "GET, POST");
                }
                return new RestRoute("SubscribeToTask", decode(idPart.substring(0, colon)), true);
            }
            return expect(m, HttpMethod.GET, "GetTask", decode(idPart), false);
        }
        if (!PUSH_CONFIGS.equals(s[from + 2]) || n > 4) {
            return null;
        }
        String task = decode(idPart);
        if (n == 3) {
            if (m == HttpMethod.POST) {
                return new RestRoute("CreateTaskPushNotificationConfig", task, false);
            }
            if (m == HttpMethod.GET) {
                return new RestRoute("ListTaskPushNotificationConfigs", task, false);
            }
            throw methodNotAllowed(m, "GET, POST");
        }
        if (m == HttpMethod.GET) {
            return new RestRoute("GetTaskPushNotificationConfig", task, false);
        }
        if (m == HttpMethod.DELETE) {
            return new RestRoute("DeleteTaskPushNotificationConfig", task, false);
        }
        throw methodNotAllowed(m, "GET, DELETE");
    }

    /**
     * A request body of the binding: one JSON object.
     *
     * @throws GatewayError 400 saying what is wrong
     */
    static JsonNode parseBody(Buffer body) {
        JsonNode json;
        try {
            json = Json.parse(body);
        } catch (GatewayError e) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_request", e.getMessage(), null, null);
        }
        if (!json.isObject()) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_request",
                    "the body must be a JSON object, not " + Json.kind(json), null, null);
        }
        return json;
    }

    private static RestRoute expect(HttpMethod m, HttpMethod allowed, String method, String taskId, boolean streaming) {
        if (m != allowed) {
            throw methodNotAllowed(m, allowed.name());
        }
        return new RestRoute(method, taskId, streaming);
    }

    private static String decode(String segment) {
        try {
            return RpcRequest.bounded(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_path",
                    "the task id in the path is not validly percent-encoded", null, null);
        }
    }

    private static GatewayError notFound(HttpMethod m, String rest) {
        return new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_operation", "no A2A HTTP+JSON operation is "
                + m + " " + shown(rest) + "; the binding's paths are /message:send, /message:stream, /tasks, /tasks/ID,"
                + " /tasks/ID:cancel, /tasks/ID:subscribe, /tasks/ID/pushNotificationConfigs and /extendedAgentCard"
                + " (after an optional tenant)", null, null);
    }

    private static GatewayError methodNotAllowed(HttpMethod m, String allowed) {
        return new GatewayError(ErrorKind.METHOD_NOT_ALLOWED, 405, "method_not_allowed",
                m + " is not supported here; use " + allowed, null, null).header("Allow", allowed);
    }

    private static String shown(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
