package io.agentgateway.upstream;

import io.agentgateway.llm.OpenAiErrors;
import io.agentgateway.llm.StreamTranslator;

import io.agentgateway.core.Usage;

import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.GatewayError;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.TimeoutException;

/**
 * Relays one upstream event stream to the client event by event, as it arrives: decode, translate,
 * write, flush. Backpressure flows both ways (a slow client pauses the upstream). An upstream that
 * stops early or fails mid-stream ends the client's stream with an OpenAI error event instead of a
 * silent cut. Usage (reported, or estimated for what was delivered) is recorded on the exchange.
 *
 * <p>Confined to the request's event loop.
 */
public final class StreamRelay {
    private final Exchange exchange;
    private final StreamTranslator translator;
    private final HttpClientResponse upstream;
    private final Promise<Void> done;
    private final String providerName;
    private final SseDecoder decoder;
    private final Deadlines.Deadline deadline;
    private Buffer out;

    /**
     * @param deadline the call's idle deadline: touched on every chunk, so an upstream that falls
     *                 silent mid-stream is cut after the provider's {@code timeout} (its reset
     *                 reaches {@link #onUpstreamFailure} as a timeout)
     */
    public StreamRelay(Exchange exchange, StreamTranslator translator, HttpClientResponse upstream, String providerName,
                Deadlines.Deadline deadline, Promise<Void> done) {
        this.exchange = exchange;
        this.translator = translator;
        this.upstream = upstream;
        this.providerName = providerName;
        this.deadline = deadline;
        this.done = done;
        this.decoder = new SseDecoder(event -> translator.onEvent(event, out));
    }

    public void start() {
        HttpServerResponse response = exchange.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        upstream.handler(this::onChunk);
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.exceptionHandler(this::onUpstreamFailure);
        upstream.resume();
    }

    private void onChunk(Buffer chunk) {
        deadline.touch();
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
        GatewayError error = UpstreamFailures.midStream(providerName,
                deadline.expired() ? new TimeoutException("no data for the provider's timeout") : cause);
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
    public void clientGone() {
        deadline.cancel();
        exchange.usage(translator.usage());
        upstream.request().reset();
    }

    private void finish(GatewayError error) {
        deadline.cancel();
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
