package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.policy.PolicyEngine;
import io.agentgateway.policy.RequestFacts;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Future;

/**
 * One client message POSTed to {@code /mcp/SERVER}, {@code /mcp} or a legacy
 * {@code /sse/SERVER/message} endpoint: one exchange. Classify parses it, checks the session and
 * names the resource ({@code mcp:SERVER/TOOL} for {@code tools/call},
 * {@code mcp:SERVER/prompts/NAME} for {@code prompts/get}, {@code mcp:SERVER/resources/URI} for
 * {@code resources/read} and subscriptions); forward relays it ({@link Federation} for
 * {@code /mcp}) and filters the lists by policy. One instance per request.
 */
final class PostFlow implements ExchangeFlow {
    private final McpRuntime mcp;
    private final PolicyEngine policies;
    private final ListenerContext context;
    private final String route;
    private final LegacySessions.Session legacy;
    private final McpErrors errors;
    Message message;
    McpSession session;
    String sessionId;
    Exchange ex;
    Sink sink;
    /** The server a routed federated call goes to, and the message as that server must see it. */
    String target;
    Message outgoing;
    private final java.util.List<io.agentgateway.server.ExchangeTracer.UpstreamSpan> spans = new java.util.ArrayList<>();

    /**
     * @param route  a server name, or {@link McpSession#FEDERATED}
     * @param legacy the legacy SSE session the POST belongs to, or null for Streamable HTTP
     */
    PostFlow(McpRuntime mcp, PolicyEngine policies, ListenerContext context, String route, LegacySessions.Session legacy) {
        this.mcp = mcp;
        this.policies = policies;
        this.context = context;
        this.route = route;
        this.legacy = legacy;
        this.errors = new McpErrors(() -> message != null && message.kind() == Message.Kind.REQUEST ? message.id() : null, () -> legacy);
    }

    @Override
    public Future<Void> classify(Exchange exchange) {
        this.ex = exchange;
        ex.fact(Facts.Mcp.SERVER, route);
        return RequestBodies.read(ex.request(), context.listener().maxBodySize().bytes()).compose(body -> {
            try {
                message = Message.parse(body);
            } catch (JsonRpcException e) {
                ex.action("invalid");
                throw new GatewayError(ErrorKind.INVALID_REQUEST, 400, e.code() == JsonRpcException.PARSE_ERROR
                        ? "parse_error" : "invalid_request", e.getMessage(), null, e);
            }
            ex.recordRequestPayload(body);
            String method = message.kind() == Message.Kind.RESPONSE ? "response" : message.method();
            ex.action(method);
            ex.fact(Facts.Mcp.METHOD, method);
            if (message.id() != null && !message.id().isNull()) {
                ex.fact(Facts.Mcp.REQUEST_ID, message.id().toString());
            }
            Calls.checkVersion(ex.request());
            if (legacy != null) {
                session = legacy.state();
                sessionId = legacy.id;
            } else if (!Methods.INITIALIZE.equals(message.method())) {
                sessionId = ex.request().getHeader(Calls.SESSION_HEADER);
                return Calls.sharedSession(mcp, ex, route).map(s -> {
                    session = s;
                    ex.resource(resource());
                    return (Void) null;
                });
            }
            ex.resource(resource());
            return Future.<Void>succeededFuture();
        });
    }

    /** The governed resource the message uses; for /mcp also which server it goes to. */
    private Resource resource() {
        if (message.kind() != Message.Kind.REQUEST) {
            return Resource.None.INSTANCE;
        }
        String method = message.method();
        String kind = switch (method) {
            case Methods.TOOLS_CALL -> "";
            case Methods.PROMPTS_GET -> "prompts/";
            case Methods.RESOURCES_READ, Methods.RESOURCES_SUBSCRIBE, Methods.RESOURCES_UNSUBSCRIBE -> "resources/";
            default -> null;
        };
        if (kind == null) {
            return Resource.None.INSTANCE;
        }
        String field = kind.equals("resources/") ? "uri" : "name";
        String name = message.param(field);
        if (name == null || name.isEmpty()) {
            throw invalidParams("params." + field + " is required for " + method);
        }
        String server = route;
        if (McpSession.FEDERATED.equals(route)) {
            server = Ids.server(com.fasterxml.jackson.databind.node.TextNode.valueOf(name));
            if (server == null || !session.upstreams().containsKey(server)) {
                throw invalidParams("Unknown " + (kind.isEmpty() ? "tool" : kind.substring(0, kind.length() - 1)) + ": " + name
                        + " (names on /mcp are SERVER__NAME, for a server of this session: " + String.join(", ", session.upstreams().keySet()) + ")");
            }
            name = name.substring(server.length() + Ids.SEPARATOR.length());
            ObjectNode rewritten = message.copy();
            ((ObjectNode) rewritten.get("params")).put(field, name);
            target = server;
            outgoing = Message.of(rewritten);
        }
        if (kind.isEmpty()) {
            ex.fact(Facts.Mcp.TOOL, name);
        }
        ex.fact(Facts.Mcp.SERVER, server);
        return new Resource.McpTool(server, kind + name);
    }

    private GatewayError invalidParams(String text) {
        JsonRpcException cause = new JsonRpcException(JsonRpcException.INVALID_PARAMS, text, message.id());
        return new GatewayError(ErrorKind.INVALID_REQUEST, 400, "invalid_params", text, null, cause);
    }

    @Override
    public Future<Void> forward(Exchange exchange) {
        if (legacy != null) {
            // A legacy client reads answers from its event stream; the POST itself is only acknowledged.
            exchange.status(202);
            exchange.response().setStatusCode(202).end();
            sink = new LegacySink(legacy);
        } else {
            sink = new HttpSink(exchange);
        }
        // The servers' own streams are open before the message goes on, so whatever a server sends
        // while handling it (elicitation, sampling) has a listener; until the client's GET stream
        // is attached, this POST receives it.
        Runnable detach = () -> {
        };
        Future<?> ready = Future.succeededFuture();
        if (legacy == null && session != null && sessionId != null) {
            if (message.kind() == Message.Kind.REQUEST) {
                detach = mcp.streams().attachCall(sessionId, e -> sink.offer(e.message()));
            }
            ready = mcp.streams().open(mcp, sessionId, session, s -> Calls.streamCall(context, ex, session, s, sessionId),
                    Deadlines.of(context.vertx()));
        }
        Runnable detached = detach;
        Future<Void> done = ready.compose(v -> McpSession.FEDERATED.equals(route) ? new Federation(this, mcp).forward() : forwardSingle());
        return done.recover(this::failed).andThen(ar -> {
            detached.run();
            Calls.endSpans(spans, exchange, ar.cause());
        });
    }

    private Future<Void> forwardSingle() {
        Upstream upstream = mcp.server(route);
        Upstream.Call call = call(route);
        return switch (message.kind()) {
            case NOTIFICATION, RESPONSE -> upstream.deliver(call, message).compose(v -> sink.accepted());
            case REQUEST -> {
                if (Methods.INITIALIZE.equals(message.method())) {
                    yield upstream.initialize(call, message).compose(init -> {
                        Message response = init.response();
                        if (response.result() != null) {
                            String upstreamVersion = response.result().path("protocolVersion").asText(Methods.LATEST);
                            // The gateway is the client's server: it speaks the client's version when it
                            // knows it, and the upstream's own version upstream.
                            String asked = message.param("protocolVersion");
                            String version = asked != null && Methods.VERSIONS.contains(asked) ? asked : upstreamVersion;
                            if (!version.equals(upstreamVersion)) {
                                ObjectNode c = response.copy();
                                ((ObjectNode) c.get("result")).put("protocolVersion", version);
                                response = Message.of(c);
                            }
                            started(mcp.newSession(McpSession.principalKey(Calls.principal(ex)), route, version,
                                    java.util.Map.of(route, McpSession.upstream(upstreamVersion, init.upstreamSession()))));
                        }
                        return respond(response);
                    });
                }
                yield upstream.request(call, message, sink::related).compose(response -> respond(filter(route, response)));
            }
        };
    }

    /** Issues the new session: sealed into the response header, or kept on the legacy session. */
    void started(McpSession s) {
        session = s;
        if (legacy != null) {
            legacy.state(s);
            return;
        }
        sessionId = mcp.codec().seal(s);
        ex.response().putHeader(Calls.SESSION_HEADER, sessionId);
    }

    Future<Void> respond(Message response) {
        if (response.isError()) {
            ex.fact(Facts.Mcp.ERROR_CODE, response.json().path("error").path("code").asInt());
        }
        return sink.respond(response);
    }

    Upstream.Call call(String server) {
        return Calls.call(context, ex, session, server, sessionId, spans, sink == null ? null : sink.client());
    }

    /** Keeps in a list answer only what the caller may use (tools, prompts, resources); the rest is unchanged. */
    Message filter(String server, Message response) {
        ListKind list = ListKind.of(message.method());
        if (list == null || list.resourcePrefix == null || policies == PolicyEngine.ALLOW_ALL) {
            return response;
        }
        ObjectNode result = response.result();
        if (result == null) {
            return response;
        }
        JsonNode items = result.get(list.field);
        if (items == null || !items.isArray()) {
            return response;
        }
        com.fasterxml.jackson.databind.node.ArrayNode kept = Message.MAPPER.createArrayNode();
        for (JsonNode item : items) {
            if (allowed(server, list, item)) {
                kept.add(item);
            }
        }
        if (kept.size() == items.size()) {
            return response;
        }
        ObjectNode copy = response.copy();
        ((ObjectNode) copy.get("result")).set(list.field, kept);
        return Message.of(copy);
    }

    boolean allowed(String server, ListKind list, JsonNode item) {
        if (list.resourcePrefix == null || policies == PolicyEngine.ALLOW_ALL) {
            return true;
        }
        String name = item.path(list.nameField).asText(null);
        if (name == null) {
            return false;
        }
        RequestFacts facts = new RequestFacts(ex.request().method().name(), ex.request().path(), ex.request().headers());
        return policies.decide(Calls.principal(ex), new Resource.McpTool(server, list.resourcePrefix + name), facts).allowed();
    }

    /** The list methods: the result's array, each item's name field, and its resource prefix (null: not filtered). */
    enum ListKind {
        TOOLS(Methods.TOOLS_LIST, "tools", "name", ""),
        PROMPTS(Methods.PROMPTS_LIST, "prompts", "name", "prompts/"),
        RESOURCES(Methods.RESOURCES_LIST, "resources", "uri", "resources/"),
        // A template is shown when the caller may read the template itself as a URI: a policy glob
        // such as mcp:SERVER/resources/file:///* covers file:///{path}, and a deny of a prefix hides it.
        TEMPLATES(Methods.RESOURCE_TEMPLATES_LIST, "resourceTemplates", "uriTemplate", "resources/");

        final String method;
        final String field;
        final String nameField;
        final String resourcePrefix;

        ListKind(String method, String field, String nameField, String resourcePrefix) {
            this.method = method;
            this.field = field;
            this.nameField = nameField;
            this.resourcePrefix = resourcePrefix;
        }

        private static final ListKind[] ALL = values();

        static ListKind of(String method) {
            for (ListKind k : ALL) {
                if (k.method.equals(method)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A failure after the answer began is told in-band; any failure still completes the exchange with its error. */
    private Future<Void> failed(Throwable e) {
        GatewayError g = Calls.upstreamFailure(e);
        if (message.kind() == Message.Kind.REQUEST && sink.started() && g.kind() != ErrorKind.CLIENT_CLOSED) {
            sink.respond(Message.of(JsonRpcException.errorResponse(message.id(), McpErrors.code(g), g.getMessage(), null)));
        }
        return Future.failedFuture(g);
    }

    @Override
    public ErrorRenderer errors() {
        return errors;
    }
}
