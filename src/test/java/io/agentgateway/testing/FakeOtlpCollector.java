package io.agentgateway.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenTelemetry collector's trace receiver, both transports: OTLP/HTTP ({@code POST /v1/traces},
 * protobuf) and OTLP/gRPC ({@code /opentelemetry.proto.collector.trace.v1.TraceService/Export} over
 * cleartext HTTP/2, length-prefixed messages, {@code grpc-status} trailer). Decodes with the
 * official proto classes and keeps every span.
 */
public final class FakeOtlpCollector implements AutoCloseable {
    private final LoopbackServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    public FakeOtlpCollector() {
        server = LoopbackServer.start(new HttpServerOptions().setHttp2ClearTextEnabled(true), this::handle);
    }

    public int port() {
        return server.port();
    }

    public List<Span> spans() {
        return spans;
    }

    public List<String> paths() {
        return paths;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            paths.add(request.path());
            try {
                if (request.path().equals("/v1/traces")) {
                    keep(ExportTraceServiceRequest.parseFrom(body.getBytes()));
                    request.response().putHeader("content-type", "application/x-protobuf")
                            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
                } else if (request.path().endsWith("TraceService/Export")) {
                    // gRPC frame: 1 byte compressed flag, 4 bytes length, message
                    int length = body.getInt(1);
                    keep(ExportTraceServiceRequest.parseFrom(body.getBytes(5, 5 + length)));
                    byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    Buffer framed = Buffer.buffer().appendByte((byte) 0).appendInt(reply.length).appendBytes(reply);
                    request.response().putHeader("content-type", "application/grpc").putTrailer("grpc-status", "0").end(framed);
                } else {
                    request.response().setStatusCode(404).end();
                }
            } catch (Exception e) {
                request.response().setStatusCode(400).end(e.toString());
            }
        });
    }

    private void keep(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans.addAll(ss.getSpansList());
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
