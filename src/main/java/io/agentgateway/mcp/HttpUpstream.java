package io.agentgateway.mcp;

import io.agentgateway.upstream.Deadlines;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.StreamRelay;
import io.agentgateway.upstream.UpstreamFailures;
import io.agentgateway.upstream.ConnectionGate;
import io.agentgateway.upstream.ConnectionGates;
import io.agentgateway.upstream.UpstreamRequest;
import io.agentgateway.config.McpServerConfig;
import io.agentgateway.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Streamable HTTP upstream (MCP 2025-03-26 and later): every message is a POST to the server's
 * endpoint, answered as JSON, as an SSE stream, or 202. Holds no state per session: the upstream
 * session id comes with each {@link Upstream.Call}. Requests go out on the calling event loop's
 * client, so the upstream connection pool is per loop and survives reloads.
 *
 * <p>Immutable and thread-safe.
 */
final class HttpUpstream implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(HttpUpstream.class);
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";

    private final Vertx vertx;
    private final String name;
    private final String url;
    private final Map<String, Secret> headers;
    private final Duration timeout;
    private final ConnectionGate gate;

    HttpUpstream(Vertx vertx, McpServerConfig config) {
        this.vertx = vertx;
        this.gate = ConnectionGates.of(vertx).gate("mcp", config.name(), ConnectionGate.Limits.of(config.connectionPool()));
        this.name = config.name();
        this.url = config.url();
        this.headers = config.headers();
        this.timeout = config.timeout();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Future<Initialized> initialize(Call call, Message initialize) {
        Promise<Initialized> done = Promise.promise();
        String[] session = new String[1];
        exchange(call, initialize, m -> {
        }, r -> session[0] = r.getHeader(SESSION_HEADER))
                .onSuccess(response -> done.tryComplete(new Initialized(response, session[0])))
                .onFailure(done::tryFail);
        return done.future();
    }

    @Override
    public Future<Message> request(Call call, Message request, Consumer<Message> related) {
        return exchange(call, request, related, r -> {
        });
    }

    private Future<Message> exchange(Call call, Message request, Consumer<Message> related, Consumer<HttpClientResponse> head) {
        Promise<Message> done = Promise.promise();
        HttpClientRequest[] sent = new HttpClientRequest[1];
        Deadlines.Deadline deadline = Deadlines.of(vertx).watch(timeout.toMillis(), () -> {
            if (done.tryFail(new JsonRpcException(JsonRpcException.REQUEST_TIMEOUT,
                    "MCP server " + name + " did not answer " + request.method() + " within " + timeout.toMillis() + "ms"))) {
                if (sent[0] != null) {
                    sent[0].reset();
                }
                cancelUpstream(call, request);
            }
        });
        done.future().onComplete(ar -> deadline.cancel());
        post(call, !"initialize".equals(request.method())).open(call.http(), gate).compose(req -> {
            sent[0] = req;
            return req.send(request.bytes());
        }).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(unreachable(ar.cause()));
                return;
            }
            HttpClientResponse response = ar.result();
            if (done.future().isComplete()) {
                response.request().reset();
                return;
            }
            head.accept(response);
            if (response.statusCode() == 404 && call.upstreamSession() != null) {
                response.body();
                done.tryFail(new SessionGone("MCP server " + name + " no longer knows this session"));
                return;
            }
            String type = response.getHeader("content-type");
            if (response.statusCode() / 100 == 2 && type != null && type.startsWith("text/event-stream")) {
                // The wait restarts on progress only, so the relay is given no deadline to touch.
                String key = Ids.key(request.id());
                StreamRelay.start(response, call.client(), null, new StreamRelay.Events() {
                    @Override
                    public void onEvent(SseEvent event) {
                        if (done.future().isComplete() || event.data().isEmpty()) {
                            return;
                        }
                        Message m = parseQuietly(event.data());
                        if (m == null) {
                            return;
                        }
                        if (m.kind() == Message.Kind.RESPONSE && key.equals(Ids.key(m.id()))) {
                            done.tryComplete(m);
                        } else {
                            if (Methods.PROGRESS.equals(m.method())) {
                                deadline.touch();
                            }
                            related.accept(m);
                        }
                    }

                    @Override
                    public void onEnd() {
                        done.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                                "MCP server " + name + " ended its event stream without answering " + request.method()));
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        done.tryFail(unreachable(cause));
                    }
                });
                return;
            }
            response.body().onComplete(body -> {
                if (body.failed()) {
                    done.tryFail(unreachable(body.cause()));
                    return;
                }
                Message m = parseQuietly(body.result());
                if (m != null && m.kind() == Message.Kind.RESPONSE) {
                    // A JSON-RPC answer is passed on whatever the HTTP status (SDK servers send errors as 4xx).
                    done.tryComplete(m);
                    return;
                }
                done.tryFail(new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " answered HTTP "
                        + response.statusCode() + " without a JSON-RPC response" + snippet(body.result())));
            });
        });
        return done.future();
    }

    @Override
    public Future<Void> deliver(Call call, Message message) {
        return post(call, true).open(call.http(), gate).compose(req -> {
            return req.send(message.bytes());
        }).recover(e -> Future.failedFuture(unreachable(e))).compose(response -> response.body().compose(body -> {
            int status = response.statusCode();
            if (status / 100 == 2) {
                return Future.<Void>succeededFuture();
            }
            if (status == 404 && call.upstreamSession() != null) {
                return Future.failedFuture(new SessionGone("MCP server " + name + " no longer knows this session"));
            }
            return Future.failedFuture(new JsonRpcException(JsonRpcException.INTERNAL_ERROR,
                    "MCP server " + name + " refused the " + message.kind().name().toLowerCase(java.util.Locale.ROOT)
                            + " with HTTP " + status + snippet(body)));
        }));
    }

    @Override
    public Future<Listening> listen(Call call, String lastEventId, StreamMessages messages) {
        Promise<Void> ended = Promise.promise();
        UpstreamRequest get = request(HttpMethod.GET, call, true).header("accept", "text/event-stream");
        if (lastEventId != null) {
            get.header("Last-Event-ID", lastEventId);
        }
        return get.open(call.http(), gate).compose(req -> {
            return req.send();
        }).recover(e -> Future.failedFuture(unreachable(e))).compose(response -> {
            int status = response.statusCode();
            String type = response.getHeader("content-type");
            if (status == 200 && type != null && type.startsWith("text/event-stream")) {
                StreamRelay relay = StreamRelay.start(response, call.client(), null, new StreamRelay.Events() {
                    @Override
                    public void onEvent(SseEvent event) {
                        Message m = event.data().isEmpty() ? null : parseQuietly(event.data());
                        if (m != null) {
                            messages.accept(m, event.id());
                        }
                    }

                    @Override
                    public void onEnd() {
                        ended.tryComplete();
                    }

                    @Override
                    public void onFailure(Throwable cause) {
                        ended.tryComplete();
                    }
                });
                return Future.succeededFuture(new Listening() {
                    @Override
                    public void close() {
                        relay.cancel();
                        ended.tryComplete();
                    }

                    @Override
                    public Future<Void> ended() {
                        return ended.future();
                    }
                });
            }
            response.body();
            if (status == 404 && call.upstreamSession() != null) {
                return Future.failedFuture(new SessionGone("MCP server " + name + " no longer knows this session"));
            }
            return Future.failedFuture(new StreamUnsupported("MCP server " + name + " offers no server stream (HTTP " + status + ")"));
        });
    }

    @Override
    public Future<Void> terminate(Call call) {
        if (call.upstreamSession() == null) {
            return Future.succeededFuture();
        }
        return request(HttpMethod.DELETE, call, true).open(call.http(), gate).compose(HttpClientRequest::send)
                .compose(r -> r.body().<Void>mapEmpty())
                .otherwise(e -> {
                    log.debug("ending the session on MCP server {} failed: {}", name, e.toString());
                    return null;
                });
    }

    /** Tells the server to stop working on a request the gateway gave up on. */
    private void cancelUpstream(Call call, Message request) {
        com.fasterxml.jackson.databind.node.ObjectNode n = Message.MAPPER.createObjectNode();
        n.put("jsonrpc", "2.0");
        n.put("method", Methods.CANCELLED);
        com.fasterxml.jackson.databind.node.ObjectNode params = n.putObject("params");
        params.set("requestId", request.id());
        params.put("reason", "timed out at the gateway");
        deliver(call, Message.of(n)).onFailure(e -> log.debug("cancelling on MCP server {} failed: {}", name, e.toString()));
    }

    private UpstreamRequest post(Call call, boolean withVersion) {
        return request(HttpMethod.POST, call, withVersion)
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream");
    }

    /** A request to the server with its configured headers, the session, the version and the trace context. */
    private UpstreamRequest request(HttpMethod method, Call call, boolean withVersion) {
        UpstreamRequest r = UpstreamRequest.to(url, method).connectTimeout(timeout.toMillis()).credentials(headers);
        if (call.upstreamSession() != null) {
            r.header(SESSION_HEADER, call.upstreamSession());
        }
        if (withVersion && call.protocolVersion() != null) {
            r.header(VERSION_HEADER, call.protocolVersion());
        }
        return call.trace() == null ? r : r.trace(call.trace());
    }

    private JsonRpcException unreachable(Throwable e) {
        if (e instanceof JsonRpcException j) {
            return j;
        }
        return new JsonRpcException(JsonRpcException.INTERNAL_ERROR, "MCP server " + name + " cannot be reached: "
                + UpstreamFailures.describe(e));
    }

    /** An answer read from its own bytes; one that does not parse as sent is read as text (bad UTF-8 replaced), as before. */
    private Message parseQuietly(Buffer body) {
        try {
            return Message.parse(body);
        } catch (RuntimeException e) {
            return parseQuietly(body.toString());
        }
    }

    private Message parseQuietly(String text) {
        try {
            return Message.parse(Buffer.buffer(text));
        } catch (RuntimeException e) {
            log.warn("MCP server {} sent a message that is not JSON-RPC: {}", name, e.getMessage());
            return null;
        }
    }

    private static String snippet(Buffer body) {
        if (body == null || body.length() == 0) {
            return "";
        }
        String s = body.getString(0, Math.min(body.length(), 200));
        return ": " + s.replaceAll("\\s+", " ");
    }
}
