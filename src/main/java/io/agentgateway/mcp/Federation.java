package io.agentgateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /mcp}: every configured server as one. {@code initialize} goes to all of them (those that
 * fail are left out of the session, and logged); lists are gathered from every server of the
 * session (all pages), filtered by policy and named {@code SERVER__NAME} (resources:
 * {@code SERVER__URI}); calls are routed by that prefix; a server's own requests reach the client
 * with ids {@code SERVER__<id>} so the answer finds its way back. One instance per message.
 */
final class Federation {
    private static final Logger log = LoggerFactory.getLogger(Federation.class);
    private static final int MAX_PAGES = 50;

    private final PostFlow flow;
    private final McpRuntime mcp;

    Federation(PostFlow flow, McpRuntime mcp) {
        this.flow = flow;
        this.mcp = mcp;
    }

    Future<Void> forward() {
        Message m = flow.message;
        return switch (m.kind()) {
            case RESPONSE -> answer(m);
            case NOTIFICATION -> everyServer(s -> mcp.server(s).deliver(flow.call(s), m)).compose(v -> flow.sink.accepted());
            case REQUEST -> request(m);
        };
    }

    private Future<Void> request(Message m) {
        PostFlow.ListKind list = PostFlow.ListKind.of(m.method());
        if (list != null) {
            return gather(m, list);
        }
        if (flow.target != null) {
            String server = flow.target;
            return mcp.server(server).request(flow.call(server), flow.outgoing, r -> flow.sink.related(federate(server, r)))
                    .map(r -> Methods.RESOURCES_READ.equals(m.method()) ? prefixContents(server, r) : r)
                    .compose(flow::respond);
        }
        return switch (m.method()) {
            case Methods.INITIALIZE -> initialize(m);
            case Methods.PING -> flow.respond(result(m.id(), Message.MAPPER.createObjectNode()));
            case Methods.SET_LEVEL -> everyServer(s -> mcp.server(s).request(flow.call(s), m, r -> {
            }).mapEmpty()).compose(v -> flow.respond(result(m.id(), Message.MAPPER.createObjectNode())));
            case Methods.COMPLETE -> complete(m);
            default -> flow.respond(Message.of(JsonRpcException.errorResponse(m.id(), JsonRpcException.METHOD_NOT_FOUND,
                    "Method not found: " + m.method() + " cannot be routed on /mcp (it names no server); use /mcp/SERVER", null)));
        };
    }

    private Future<Void> initialize(Message m) {
        List<String> names = mcp.serverNames();
        List<Future<Upstream.Initialized>> all = new ArrayList<>();
        for (String s : names) {
            all.add(mcp.server(s).initialize(flow.call(s), m));
        }
        return Future.join(all).transform(ignored -> {
            Map<String, String> upstreams = new LinkedHashMap<>();
            ObjectNode capabilities = Message.MAPPER.createObjectNode();
            StringBuilder instructions = new StringBuilder();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Future<Upstream.Initialized> f = all.get(i);
                ObjectNode r = f.succeeded() ? f.result().response().result() : null;
                if (r == null) {
                    String why = f.failed() ? f.cause().getMessage() : f.result().response().json().path("error").path("message").asText();
                    log.warn("MCP server {} left out of a /mcp session: {}", names.get(i), why);
                    failures.add(names.get(i) + ": " + why);
                    continue;
                }
                String version = r.path("protocolVersion").asText(Methods.LATEST);
                upstreams.put(names.get(i), McpSession.upstream(version, f.result().upstreamSession()));
                merge(capabilities, r.path("capabilities"));
                if (r.hasNonNull("instructions")) {
                    instructions.append(instructions.isEmpty() ? "" : "\n\n").append(names.get(i)).append(": ").append(r.get("instructions").asText());
                }
            }
            if (upstreams.isEmpty() && !names.isEmpty()) {
                return Future.failedFuture(new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                        "no MCP server could be initialised: " + String.join("; ", failures)));
            }
            String asked = m.param("protocolVersion");
            String version = asked != null && Methods.VERSIONS.contains(asked) ? asked : Methods.LATEST;
            flow.started(mcp.newSession(McpSession.principalKey(Calls.principal(flow.ex)), McpSession.FEDERATED, version, upstreams));
            ObjectNode result = Message.MAPPER.createObjectNode();
            result.put("protocolVersion", version);
            result.set("capabilities", capabilities);
            result.putObject("serverInfo").put("name", "agentgateway").put("version", "1");
            if (!instructions.isEmpty()) {
                result.put("instructions", instructions.toString());
            }
            return flow.respond(result(m.id(), result));
        });
    }

    /** Capabilities of all servers as one: a feature present anywhere is present, flags are or-ed. */
    private static void merge(ObjectNode into, JsonNode caps) {
        caps.properties().forEach(e -> {
            JsonNode have = into.get(e.getKey());
            if (have instanceof ObjectNode h && e.getValue() instanceof ObjectNode v) {
                v.properties().forEach(f -> {
                    if (f.getValue().isBoolean()) {
                        h.put(f.getKey(), h.path(f.getKey()).asBoolean(false) || f.getValue().asBoolean());
                    } else if (!h.has(f.getKey())) {
                        h.set(f.getKey(), f.getValue());
                    }
                });
            } else if (have == null) {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    /** One list from every server of the session: all pages, filtered, prefixed. */
    private Future<Void> gather(Message m, PostFlow.ListKind list) {
        List<String> servers = new ArrayList<>(flow.session.upstreams().keySet());
        List<Future<List<JsonNode>>> all = new ArrayList<>();
        for (String s : servers) {
            all.add(pages(s, m, list, null, new ArrayList<>(), 0));
        }
        return Future.join(all).transform(ignored -> {
            ArrayNode items = Message.MAPPER.createArrayNode();
            int failed = 0;
            for (int i = 0; i < servers.size(); i++) {
                if (all.get(i).failed()) {
                    failed++;
                    log.warn("MCP server {} left out of {}: {}", servers.get(i), m.method(), all.get(i).cause().getMessage());
                    continue;
                }
                for (JsonNode item : all.get(i).result()) {
                    if (flow.allowed(servers.get(i), list, item)) {
                        ObjectNode copy = item.deepCopy();
                        copy.put(list.nameField, servers.get(i) + Ids.SEPARATOR + item.path(list.nameField).asText());
                        items.add(copy);
                    }
                }
            }
            if (failed > 0 && failed == servers.size()) {
                return Future.failedFuture(all.get(0).cause());
            }
            ObjectNode result = Message.MAPPER.createObjectNode();
            result.set(list.field, items);
            return flow.respond(result(m.id(), result));
        });
    }

    private Future<List<JsonNode>> pages(String server, Message m, PostFlow.ListKind list, String cursor, List<JsonNode> into, int page) {
        ObjectNode req = m.copy();
        ObjectNode params = req.has("params") && req.get("params").isObject() ? (ObjectNode) req.get("params") : req.putObject("params");
        params.remove("cursor");
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        return mcp.server(server).request(flow.call(server), Message.of(req), r -> flow.sink.related(federate(server, r))).compose(r -> {
            if (r.result() == null) {
                // A server without this feature answers "method not found": it simply has nothing to list.
                return Future.succeededFuture(into);
            }
            r.result().path(list.field).forEach(into::add);
            String next = r.result().path("nextCursor").asText(null);
            return next == null || next.isEmpty() || page + 1 >= MAX_PAGES ? Future.succeededFuture(into)
                    : pages(server, m, list, next, into, page + 1);
        });
    }

    /** {@code completion/complete}: routed by the prompt name or resource URI in {@code params.ref}. */
    private Future<Void> complete(Message m) {
        JsonNode ref = m.params().path("ref");
        String field = ref.has("uri") ? "uri" : "name";
        String named = ref.path(field).asText("");
        String server = Ids.server(TextNode.valueOf(named));
        if (server == null || !flow.session.upstreams().containsKey(server)) {
            return flow.respond(Message.of(JsonRpcException.errorResponse(m.id(), JsonRpcException.INVALID_PARAMS,
                    "Invalid params: params.ref." + field + " must be SERVER__NAME for a server of this session", null)));
        }
        ObjectNode c = m.copy();
        ((ObjectNode) c.get("params").get("ref")).put(field, named.substring(server.length() + Ids.SEPARATOR.length()));
        return mcp.server(server).request(flow.call(server), Message.of(c), r -> flow.sink.related(federate(server, r))).compose(flow::respond);
    }

    /** The client's answer to a server's request: back to the server named in the id, with its own id. */
    private Future<Void> answer(Message m) {
        String server = Ids.server(m.id());
        JsonNode original = Ids.unprefix(m.id());
        if (server == null || original == null || !flow.session.upstreams().containsKey(server)) {
            log.debug("a client answered {} on /mcp, which names no server of its session", m.id());
            return flow.sink.accepted();
        }
        return mcp.server(server).deliver(flow.call(server), m.withId(original)).compose(v -> flow.sink.accepted());
    }

    /** A {@code resources/read} answer names its contents as the client asked for them: {@code SERVER__URI}. */
    static Message prefixContents(String server, Message r) {
        JsonNode contents = r.result() == null ? null : r.result().get("contents");
        if (contents == null || !contents.isArray()) {
            return r;
        }
        ObjectNode c = r.copy();
        for (JsonNode item : c.get("result").get("contents")) {
            if (item instanceof ObjectNode o && o.hasNonNull("uri")) {
                o.put("uri", server + Ids.SEPARATOR + o.get("uri").asText());
            }
        }
        return Message.of(c);
    }

    /** What a server sends reaches the client named for /mcp: request ids and resource URIs prefixed. */
    static Message federate(String server, Message m) {
        if (m.kind() == Message.Kind.REQUEST) {
            return m.withId(Ids.prefix(server, m.id()));
        }
        if (Methods.RESOURCES_UPDATED.equals(m.method()) && m.param("uri") != null) {
            ObjectNode c = m.copy();
            ((ObjectNode) c.get("params")).put("uri", server + Ids.SEPARATOR + m.param("uri"));
            return Message.of(c);
        }
        return m;
    }

    private Future<Void> everyServer(java.util.function.Function<String, Future<?>> each) {
        List<Future<?>> all = new ArrayList<>();
        for (String s : flow.session.upstreams().keySet()) {
            all.add(each.apply(s).onFailure(e -> log.debug("MCP server {}: {}", s, e.getMessage())));
        }
        return Future.join(all).transform(ar -> Future.succeededFuture());
    }

    static Message result(JsonNode id, ObjectNode result) {
        ObjectNode out = Message.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id);
        out.set("result", result);
        return Message.of(out);
    }
}
