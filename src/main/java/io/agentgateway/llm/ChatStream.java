package io.agentgateway.llm;

import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.Deadlines;
import io.agentgateway.upstream.EventDecoder;
import io.agentgateway.upstream.RelayedBytes;
import io.agentgateway.upstream.SseDecoder;
import io.agentgateway.upstream.StreamRelay;
import io.agentgateway.upstream.UpstreamFailures;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The LLM side of a streamed chat answer, over the shared {@link StreamRelay}: each upstream
 * chunk's events are translated into the client's OpenAI chunks and written as one piece (so one
 * flush per upstream chunk). An upstream that stops early or fails mid-stream ends the client's
 * stream with an OpenAI error event instead of a silent cut. Usage (reported, or estimated for
 * what was delivered) is recorded on the exchange.
 *
 * <p>Confined to the request's event loop.
 */
final class ChatStream implements StreamRelay.Events {
    private final Exchange exchange;
    private final StreamTranslator translator;
    private final String providerName;
    private final Promise<Void> done;
    private final StreamRelay.Client client;
    private StreamRelay relay;
    private final RelayedBytes out = new RelayedBytes();

    private ChatStream(Exchange exchange, StreamTranslator translator, String providerName, Promise<Void> done) {
        this.exchange = exchange;
        this.translator = translator;
        this.providerName = providerName;
        this.done = done;
        this.client = StreamRelay.client(exchange.response());
    }

    /**
     * Opens the client's event stream and relays {@code upstream} into it.
     *
     * @param framing  cuts the upstream's stream into events ({@link ChatTranslator#streamDecoder}, or SSE's)
     * @param deadline the call's idle deadline: an upstream that falls silent mid-stream is cut
     *                 after the provider's {@code timeout}
     */
    static ChatStream start(Exchange exchange, Function<Consumer<SseEvent>, EventDecoder> framing, StreamTranslator translator,
                            HttpClientResponse upstream, String providerName, Deadlines.Deadline deadline, Promise<Void> done) {
        ChatStream stream = new ChatStream(exchange, translator, providerName, done);
        exchange.response().setStatusCode(200)
                .setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        // an SSE upstream's keep-alive comments go on to the client (see onComment)
        stream.relay = StreamRelay.start(upstream, stream.client, deadline, stream, sink -> {
            EventDecoder decoder = framing.apply(sink);
            return decoder instanceof SseDecoder sse ? sse.withComments(stream::onComment) : decoder;
        });
        return stream;
    }

    @Override
    public void onEvent(SseEvent event) {
        if (translator instanceof StreamTranslator.Forwarding forwarding) {
            // the upstream's bytes go on as they came: no copy while the chunk's events all pass
            if (forwarding.forward(event)) {
                out.forward(event);
            }
        } else {
            translator.onEvent(event, out.buffer());
        }
    }

    /**
     * Keep-alives go on to the client, so a proxy's idle timeout does not cut a long silent stream.
     * Written at once, after what the chunk held before them, and not counted as the first byte
     * of the answer.
     */
    @Override
    public void onComment(Buffer raw) {
        if (!out.isEmpty()) {
            write(out.take());
        }
        client.write(raw);
    }

    @Override
    public void afterChunk() {
        if (!out.isEmpty()) {
            write(out.take());
        }
    }

    private void write(Buffer bytes) {
        HttpServerResponse response = exchange.response();
        if (bytes.length() == 0 || response.closed() || response.ended()) {
            return;
        }
        exchange.markFirstByte();
        client.write(bytes);
    }

    @Override
    public void onEnd() {
        if (translator.finished()) {
            translator.onEnd(out.buffer());
            write(out.take());
            finish(null);
        } else {
            write(out.take());
            fail("provider " + providerName + " ended the stream before it finished");
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        if (done.future().isComplete()) {
            return;
        }
        GatewayError error = UpstreamFailures.midStream("the stream from provider " + providerName, cause,
                "provider " + providerName + " stopped sending in the middle of the stream");
        writeErrorEvent(error);
        finish(error);
    }

    private void fail(String message) {
        GatewayError error = UpstreamFailures.incomplete(message);
        writeErrorEvent(error);
        finish(error);
    }

    private void writeErrorEvent(GatewayError error) {
        Buffer event = Buffer.buffer();
        translator.onError(error, event);
        write(event);
    }

    /** Called when the client went away: stop reading, record what was delivered. */
    void clientGone() {
        relay.cancel();
        exchange.usage(translator.usage());
    }

    private void finish(GatewayError error) {
        exchange.usage(translator.usage());
        if (translator.responseModel() != null) {
            exchange.fact(Facts.Llm.RESPONSE_MODEL, translator.responseModel());
        }
        client.end(done, error);
    }
}
