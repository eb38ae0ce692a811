package io.agentgateway.observe;

import io.agentgateway.core.Usage;
import io.agentgateway.config.TracingConfig;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry tracing of exchanges: a server span per exchange continuing the
 * caller's W3C or B3 context, client spans for upstream calls with the configured propagation
 * formats injected, GenAI / MCP / A2A semantic-convention attributes, exported over OTLP (gRPC or
 * HTTP/protobuf) in batches off the request path.
 *
 * <p>Thread-safe. One per tracing config; {@link #close()} flushes and stops the exporter.
 */
public final class OtelTracer implements ExchangeTracer, AutoCloseable {
    private static final TextMapGetter<MultiMap> GETTER = new TextMapGetter<>() {
        // Deprecated in the API yet still abstract: every getter must implement it.
        @Override
        @SuppressWarnings("deprecation")
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapSetter<MultiMap> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.set(key, value);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final TextMapPropagator extract;
    private final TextMapPropagator inject;

    private OtelTracer(SdkTracerProvider provider, TextMapPropagator extract, TextMapPropagator inject) {
        this.provider = provider;
        this.tracer = provider.get("io.agentgateway");
        this.extract = extract;
        this.inject = inject;
    }

    /** A tracer exporting to {@code config.endpoint()}; {@code exporter} overrides it (tests). */
    public static OtelTracer create(TracingConfig config, String instance, SpanExporter exporter) {
        SpanExporter out = exporter != null ? exporter : exporter(config);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), config.serviceName(),
                        AttributeKey.stringKey("service.instance.id"), instance))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplingRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(out).build())
                .build();
        List<TextMapPropagator> formats = new ArrayList<>();
        for (TracingConfig.Propagation p : config.propagation()) {
            formats.add(switch (p) {
                case W3C -> W3CTraceContextPropagator.getInstance();
                case B3 -> B3Propagator.injectingSingleHeader();
                case B3MULTI -> B3Propagator.injectingMultiHeaders();
            });
        }
        // Accept every format we know on the way in, whatever we are told to send on.
        TextMapPropagator extract = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), B3Propagator.injectingSingleHeader());
        return new OtelTracer(provider, extract, TextMapPropagator.composite(formats));
    }

    private static SpanExporter exporter(TracingConfig config) {
        String endpoint = config.endpoint().contains("://") ? config.endpoint() : "http://" + config.endpoint();
        return switch (config.protocol()) {
            case GRPC -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
            case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder()
                    .setEndpoint(endpoint.endsWith("/v1/traces") ? endpoint : endpoint.replaceAll("/+$", "") + "/v1/traces").build();
        };
    }

    @Override
    public void start(Exchange ex) {
        Context parent = extract.extract(Context.root(), ex.request().headers(), GETTER);
        Span span = tracer.spanBuilder(ex.protocol().wire() + " " + ex.request().method().name() + " " + ex.request().path())
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(ex.startTime().getEpochSecond() * 1_000_000_000L + ex.startTime().getNano(), TimeUnit.NANOSECONDS)
                .setAttribute("http.request.method", ex.request().method().name())
                .setAttribute("url.path", ex.request().path())
                .setAttribute("agentgateway.listener", ex.listener())
                .setAttribute("agentgateway.request_id", ex.id())
                .startSpan();
        ex.traceState(span);
        if (span.getSpanContext().isValid()) {
            ex.fact(Facts.TRACE_ID, span.getSpanContext().getTraceId());
        }
    }

    @Override
    public UpstreamSpan upstream(Exchange ex, String name, String peer, MultiMap headers) {
        Span parent = ex.traceState() instanceof Span s ? s : Span.getInvalid();
        SpanBuilder b = tracer.spanBuilder(name).setParent(Context.root().with(parent)).setSpanKind(SpanKind.CLIENT)
                .setAttribute("server.address", peer);
        if (ex.requestModel() != null) {
            b.setAttribute("gen_ai.request.model", ex.requestModel());
        }
        Span span = b.startSpan();
        inject.inject(Context.root().with(span), headers, SETTER);
        return new UpstreamSpan() {
            @Override
            public void end(int status, Throwable error) {
                if (status > 0) {
                    span.setAttribute("http.response.status_code", status);
                }
                if (error != null || status >= 500) {
                    span.setStatus(StatusCode.ERROR, error == null ? "HTTP " + status : error.getClass().getSimpleName());
                }
                span.end();
            }

            @Override
            public void waited(long nanos) {
                span.addEvent("agentgateway.connection_wait",
                        Attributes.of(AttributeKey.doubleKey("agentgateway.wait_seconds"), nanos / 1e9));
            }
        };
    }

    @Override
    public void end(Exchange ex) {
        if (!(ex.traceState() instanceof Span span)) {
            return;
        }
        if (ex.action() != null) {
            span.updateName(spanName(ex));
        }
        span.setAttribute("http.response.status_code", ex.status());
        if (ex.principal() != null && ex.principal().namespace() != null) {
            span.setAttribute("k8s.namespace.name", ex.principal().namespace());
        }
        if (ex.principal() != null && ex.principal().serviceAccount() != null) {
            span.setAttribute("k8s.serviceaccount.name", ex.principal().serviceAccount());
        }
        if (ex.decision() != null && ex.decision().policy() != null) {
            span.setAttribute("agentgateway.decision", ex.decision().verdict());
            span.setAttribute("agentgateway.policy", ex.decision().policy());
        }
        if (!ex.resource().id().isEmpty()) {
            span.setAttribute("agentgateway.resource", ex.resource().id());
        }
        genAi(ex, span);
        ex.attributes().forEach((name, value) -> {
            // Protocol facts recorded under their semantic-convention names (mcp.method.name, a2a.task.id, ...).
            if (name.indexOf('.') > 0 && value != null) {
                span.setAttribute(name, value.toString());
            }
        });
        if (ex.error() != null) {
            span.setAttribute("error.type", ex.error().code());
            if (ex.status() >= 500 || ex.status() == 0) {
                span.setStatus(StatusCode.ERROR, ex.error().getMessage());
            }
        }
        span.end();
    }

    private static String spanName(Exchange ex) {
        return switch (ex.protocol()) {
            case LLM -> ex.requestModel() == null ? ex.action() : operation(ex) + " " + ex.requestModel();
            case MCP, A2A -> ex.action();
        };
    }

    private static String operation(Exchange ex) {
        return "chat.completions".equals(ex.action()) ? "chat" : ex.action();
    }

    private static void genAi(Exchange ex, Span span) {
        if (ex.requestModel() == null) {
            return;
        }
        span.setAttribute("gen_ai.operation.name", operation(ex));
        span.setAttribute("gen_ai.request.model", ex.requestModel());
        if (ex.provider() != null) {
            span.setAttribute("agentgateway.provider", ex.provider());
        }
        String responseModel = ex.fact(Facts.Llm.RESPONSE_MODEL);
        if (responseModel != null) {
            span.setAttribute("gen_ai.response.model", responseModel);
        }
        Usage u = ex.usage();
        if (u != null) {
            span.setAttribute("gen_ai.usage.input_tokens", u.inputTokens());
            span.setAttribute("gen_ai.usage.output_tokens", u.outputTokens());
        }
    }

    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
