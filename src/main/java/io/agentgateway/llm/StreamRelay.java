package io.agentgateway.llm;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.SseDecoder;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Relays one upstream event stream to the client event by event, as it arrives: decode, translate,
 * write, flush. Backpressure flows both ways (a slow client pauses the upstream). An upstream that
 * stops early or fails mid-stream ends the client's stream with an OpenAI error event instead of a
 * silent cut. Usage (reported, or estimated for what was delivered) is recorded on the exchange.
 *
 * <p>Confined to the request's event loop.
 */
final class StreamRelay {
    private final Exchange exchange;
    private final StreamTranslator translator;
    private final HttpClientResponse upstream;
    private final Promise<Void> done;
    private final String providerName;
    private final SseDecoder decoder;
    private final Vertx vertx;
    private final long silenceNanos;
    private Buffer out;
    private long lastChunkNanos;
    private long silenceTimer = -1;

    /**
     * @param silence how long the upstream may send nothing before the stream is cut (the
     *                provider's {@code timeout}): the HTTP client's idle timeout stops applying once
     *                the response head has arrived
     */
    StreamRelay(Exchange exchange, StreamTranslator translator, HttpClientResponse upstream, String providerName,
                Vertx vertx, Duration silence, Promise<Void> done) {
        this.exchange = exchange;
        this.translator = translator;
        this.upstream = upstream;
        this.providerName = providerName;
        this.vertx = vertx;
        this.silenceNanos = silence.toNanos();
        this.done = done;
        this.decoder = new SseDecoder(event -> translator.onEvent(event, out));
    }

    void start() {
        HttpServerResponse response = exchange.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.exceptionHandler(this::onUpstreamFailure);
        lastChunkNanos = System.nanoTime();
        watchSilence(silenceNanos);
        upstream.resume();
    }

    /** One timer per silence period, not one per chunk: when it fires early, it re-arms for the rest. */
    private void watchSilence(long delayNanos) {
        silenceTimer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
            if (done.future().isComplete()) {
                return;
            }
            long quiet = System.nanoTime() - lastChunkNanos;
            if (quiet < silenceNanos) {
                watchSilence(silenceNanos - quiet);
                return;
            }
            onUpstreamFailure(new TimeoutException("no data for " + silenceNanos / 1_000_000 + "ms"));
            upstream.request().reset();
        });
    }

    private void onChunk(Buffer chunk) {
        lastChunkNanos = System.nanoTime();
        out = Buffer.buffer(chunk.length() + 64);
        decoder.feed(chunk);
        write(out);
    }

    private void write(Buffer bytes) {
        HttpServerResponse response = exchange.response();
        if (bytes.length() == 0 || response.closed() || response.ended()) {
            return;
        }
        exchange.markFirstByte();
        response.write(bytes);
        if (response.writeQueueFull()) {
            upstream.pause();
            response.drainHandler(v -> upstream.resume());
        }
    }

    private void onUpstreamEnd() {
        out = Buffer.buffer();
        decoder.end();
        if (translator.finished()) {
            translator.onEnd(out);
            write(out);
            finish(null);
        } else {
            write(out);
            fail("provider " + providerName + " ended the stream before it finished");
        }
    }

    private void onUpstreamFailure(Throwable cause) {
        if (done.future().isComplete()) {
            return;
        }
        GatewayError error = UpstreamFailures.midStream(providerName, cause);
        writeErrorEvent(error);
        finish(error);
    }

    private void fail(String message) {
        GatewayError error = new GatewayError(ErrorKind.UPSTREAM_ERROR, 502,
                "upstream_stream_incomplete", message, null, null);
        writeErrorEvent(error);
        finish(error);
    }

    private void writeErrorEvent(GatewayError error) {
        String json = OpenAiErrors.json(error.getMessage(), OpenAiErrors.type(error.kind()), error.code(), null);
        write(Buffer.buffer("data: " + json + "\n\n"));
    }

    /** Called when the client went away: stop reading, record what was delivered. */
    void clientGone() {
        if (silenceTimer >= 0) {
            vertx.cancelTimer(silenceTimer);
        }
        exchange.usage(translator.usage());
        upstream.request().reset();
    }

    private void finish(GatewayError error) {
        if (silenceTimer >= 0) {
            vertx.cancelTimer(silenceTimer);
        }
        exchange.usage(translator.usage());
        if (translator.responseModel() != null) {
            exchange.attribute("response_model", translator.responseModel());
        }
        HttpServerResponse response = exchange.response();
        if (!response.ended() && !response.closed()) {
            response.end();
        }
        if (error == null) {
            done.tryComplete();
        } else {
            done.tryFail(error);
        }
    }
}
