package io.agentgateway.llm;

import io.agentgateway.llm.openai.OpenAiToOpenAi;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.ErrorRenderer;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.ExchangeFlow;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.agentgateway.server.ListenerContext;
import io.agentgateway.server.RequestBodies;
import io.agentgateway.upstream.JsonSplice;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The rest of OpenAI's API, forwarded unchanged to providers that serve it
 * ({@link ProviderDialect#servesOpenAiSurface()}): moderations, images, audio (speech answers
 * binary audio, transcriptions and translations take a multipart form), files and batches. Each
 * call is governed as a {@code model:} resource: the body's {@code model} (a JSON field or a
 * multipart form field; the API's default model when it is optional), and for files and batches,
 * which name no model, the fixed names {@code files} and {@code batches}. The body is read up to
 * the listener's {@code max_body_size} (the model must be found before the call is authorised)
 * and forwarded as it came, the model an alias maps to spliced in; the answer is relayed as it
 * arrives, a JSON answer's {@code usage} read into the budgets. One per request, on its loop.
 */
final class OpenAiSurface implements ExchangeFlow {
    /** How an endpoint carries its model. */
    enum Body { JSON, MULTIPART, NONE }

    /**
     * One endpoint: its audit action, where its model is, the model when the request names none
     * (null: required), and for files and batches the fixed resource name.
     */
    record Endpoint(String action, Body body, String defaultModel, String fixedModel) {
    }

    private final LlmRuntime llm;
    private final ListenerContext context;
    private final Endpoint endpoint;
    private final String apiPath;
    private Buffer raw;
    private String model;
    private Multipart.Span modelSpan;
    private List<ModelRouter.Target> targets;
    private UpstreamCall call;

    private OpenAiSurface(LlmRuntime llm, ListenerContext context, Endpoint endpoint, String apiPath) {
        this.llm = llm;
        this.context = context;
        this.endpoint = endpoint;
        this.apiPath = apiPath;
    }

    /** The flow for {@code method path} (without {@code /v1}), or null when the path is none of these endpoints. */
    static OpenAiSurface match(LlmRuntime llm, ListenerContext context, HttpServerRequest request, String path) {
        Endpoint e = endpoint(request.method(), path);
        if (e == null) {
            return null;
        }
        String query = request.query();
        return new OpenAiSurface(llm, context, e, query == null ? path : path + "?" + query);
    }

    static Endpoint endpoint(HttpMethod method, String path) {
        boolean post = method == HttpMethod.POST;
        boolean get = method == HttpMethod.GET;
        String[] seg = path.substring(1).split("/", -1);
        return switch (seg[0]) {
            case "moderations" -> post && seg.length == 1 ? new Endpoint("moderations", Body.JSON, "omni-moderation-latest", null) : null;
            case "images" -> !post || seg.length != 2 ? null : switch (seg[1]) {
                case "generations" -> new Endpoint("images.generations", Body.JSON, "dall-e-2", null);
                case "edits", "variations" -> new Endpoint("images." + seg[1], Body.MULTIPART, "dall-e-2", null);
                default -> null;
            };
            case "audio" -> !post || seg.length != 2 ? null : switch (seg[1]) {
                case "speech" -> new Endpoint("audio.speech", Body.JSON, null, null);
                case "transcriptions", "translations" -> new Endpoint("audio." + seg[1], Body.MULTIPART, null, null);
                default -> null;
            };
            case "files" -> seg.length == 1 ? (post ? new Endpoint("files.create", Body.NONE, null, "files")
                    : get ? new Endpoint("files.list", Body.NONE, null, "files") : null)
                    : seg.length == 2 && !seg[1].isEmpty() ? (get ? new Endpoint("files.retrieve", Body.NONE, null, "files")
                    : method == HttpMethod.DELETE ? new Endpoint("files.delete", Body.NONE, null, "files") : null)
                    : seg.length == 3 && "content".equals(seg[2]) && get ? new Endpoint("files.content", Body.NONE, null, "files") : null;
            case "batches" -> seg.length == 1 ? (post ? new Endpoint("batches.create", Body.NONE, null, "batches")
                    : get ? new Endpoint("batches.list", Body.NONE, null, "batches") : null)
                    : seg.length == 2 && get ? new Endpoint("batches.retrieve", Body.NONE, null, "batches")
                    : seg.length == 3 && "cancel".equals(seg[2]) && post ? new Endpoint("batches.cancel", Body.NONE, null, "batches") : null;
            default -> null;
        };
    }

    String action() {
        return endpoint.action();
    }

    static GatewayError notServed(String model, Provider provider, String api) {
        return GatewayError.invalid("model `" + model + "` is served by provider " + provider.name()
                + ", which has no " + api + " API", "model");
    }

    @Override
    public Future<Void> classify(Exchange ex) {
        HttpServerRequest request = ex.request();
        boolean hasBody = request.method() == HttpMethod.POST;
        Future<Buffer> body = hasBody ? RequestBodies.read(request, context.listener().maxBodySize().bytes()) : Future.succeededFuture(null);
        return body.map(b -> {
            raw = b;
            model = endpoint.fixedModel() != null ? endpoint.fixedModel() : model(request, b);
            ex.requestModel(model);
            ex.resource(new Resource.Model(model));
            targets = route();
            ex.pricedModel(targets.get(0).model());
            return null;
        });
    }

    private String model(HttpServerRequest request, Buffer body) {
        String found = null;
        if (endpoint.body() == Body.JSON) {
            com.fasterxml.jackson.databind.node.ObjectNode json = Json.parseObject(body);
            if (json.hasNonNull("model")) {
                found = ChatRequest.requireModel(json);
            }
        } else {
            String boundary = Multipart.boundary(request.getHeader("content-type"));
            if (boundary == null) {
                throw GatewayError.invalid("the request must be multipart/form-data with a boundary", null);
            }
            modelSpan = Multipart.field(body, boundary, "model");
            if (modelSpan != null) {
                found = body.getString(modelSpan.start(), modelSpan.end(), "UTF-8").trim();
            }
        }
        if (found == null || found.isEmpty()) {
            if (endpoint.defaultModel() == null) {
                throw GatewayError.invalid("missing required parameter: 'model'", "model");
            }
            return endpoint.defaultModel();
        }
        return found;
    }

    /** The targets that serve OpenAI's API; for files and batches, when nothing routes the name, the first such provider. */
    private List<ModelRouter.Target> route() {
        List<ModelRouter.Target> routed = llm.router().route(model);
        List<ModelRouter.Target> serving = routed.stream().filter(t -> t.provider().dialect().servesOpenAiSurface()).toList();
        if (!serving.isEmpty()) {
            return serving;
        }
        if (endpoint.fixedModel() != null) {
            for (Provider p : llm.providers().values()) {
                if (p.dialect().servesOpenAiSurface()) {
                    return List.of(new ModelRouter.Target(p, model));
                }
            }
            throw new GatewayError(ErrorKind.NOT_FOUND, 404, "unknown_url", "no provider of this gateway serves OpenAI's /v1/"
                    + model + " API", null, null);
        }
        if (routed.isEmpty()) {
            throw ChatFlow.modelNotFound(model);
        }
        throw notServed(model, routed.get(0).provider(), "/v1" + apiPath.replaceAll("\\?.*", ""));
    }

    private UpstreamCall.Outgoing outgoing(ModelRouter.Target target) {
        Buffer body = raw;
        if (raw != null && endpoint.fixedModel() == null && !target.model().equals(model)) {
            if (endpoint.body() == Body.JSON) {
                body = JsonSplice.of(raw).put("model", JsonSplice.string(target.model())).apply();
            } else if (modelSpan != null) {
                body = Buffer.buffer(raw.length() + 32).appendBuffer(raw, 0, modelSpan.start())
                        .appendString(target.model()).appendBuffer(raw, modelSpan.end(), raw.length() - modelSpan.end());
            }
        }
        return new UpstreamCall.Outgoing(target.provider().openAiPath(apiPath), body, "*/*", method, contentType);
    }

    private HttpMethod method;
    private String contentType;

    @Override
    public Future<Void> forward(Exchange ex) {
        method = ex.request().method();
        contentType = raw == null ? null : ex.request().getHeader("content-type");
        Promise<Void> done = Promise.promise();
        call = new UpstreamCall(ex, context, targets, false, endpoint.action(), this::outgoing);
        ex.response().closeHandler(v -> {
            call.cancel();
            done.tryFail(ChatFlow.clientClosed());
        });
        call.sendTo(done, answer -> relay(ex, answer, done));
        return done.future();
    }

    private void relay(Exchange ex, UpstreamCall.Answer answer, Promise<Void> done) {
        HttpClientResponse upstream = answer.response();
        int status = upstream.statusCode();
        String type = upstream.getHeader("content-type");
        boolean json = type != null && type.startsWith("application/json");
        if (status / 100 == 2 && !json) {
            pipe(ex, answer, done);
            return;
        }
        answer.body(done, body -> {
            if (status / 100 != 2) {
                ex.attribute("upstream_status", status);
                ChatFlow.send(ex, status, OpenAiToOpenAi.errorBody(status, body), done);
                return;
            }
            try {
                ex.usage(OpenAiToOpenAi.passThrough(body).usage());
            } catch (GatewayError e) {
                // an answer whose JSON the gateway cannot read is still the provider's to give
            }
            ChatFlow.send(ex, status, body, done);
        });
    }

    /** A binary or text answer (speech audio, a file's content): relayed as it arrives, with its type and length. */
    private void pipe(Exchange ex, UpstreamCall.Answer answer, Promise<Void> done) {
        HttpClientResponse upstream = answer.response();
        HttpServerResponse response = ex.response();
        response.setStatusCode(upstream.statusCode());
        for (String h : List.of("content-type", "content-length", "content-disposition")) {
            String v = upstream.getHeader(h);
            if (v != null) {
                response.putHeader(h, v);
            }
        }
        if (upstream.getHeader("content-length") == null) {
            response.setChunked(true);
        }
        ex.status(upstream.statusCode());
        ex.markFirstByte();
        // by hand rather than pipeTo: every chunk also touches the provider's idle deadline
        upstream.handler(chunk -> {
            answer.deadline().touch();
            response.write(chunk);
            if (response.writeQueueFull()) {
                upstream.pause();
                answer.deadline().hold();
                response.drainHandler(v -> {
                    answer.deadline().resume();
                    upstream.resume();
                });
            }
        });
        upstream.exceptionHandler(e -> {
            response.reset();
            done.tryFail(answer.target().provider().failure(answer.deadline().expired()
                    ? new TimeoutException("no data for the provider's timeout") : e));
        });
        upstream.endHandler(v -> response.end().onComplete(ar -> {
            if (ar.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(ChatFlow.clientClosed());
            }
        }));
        upstream.resume();
    }

    @Override
    public ErrorRenderer errors() {
        return OpenAiErrors.INSTANCE;
    }
}
