package io.agentgateway.llm.bedrock;

import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.vertx.core.buffer.Buffer;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts an {@code application/vnd.amazon.eventstream} body (ConverseStream's binary framing:
 * length-prefixed messages with typed headers and CRC32 checksums) into events, with AWS's own
 * decoder, which checks both checksums and keeps partial messages across chunks. An event message
 * becomes an event named by its {@code :event-type}, an exception message one named
 * {@value #EXCEPTION}{@code <:exception-type>}; the data is the JSON payload.
 *
 * <p>Not thread-safe: one per stream, on its event loop.
 */
final class AwsEventStreamDecoder implements EventDecoder {
    /** The prefix of the event name an exception message is told as. */
    static final String EXCEPTION = "exception/";

    private final MessageDecoder decoder;
    private final Consumer<SseEvent> sink;
    private boolean corrupt;

    AwsEventStreamDecoder(Consumer<SseEvent> sink) {
        this.sink = sink;
        this.decoder = new MessageDecoder(message -> sink.accept(event(message)));
    }

    private static SseEvent event(Message message) {
        String messageType = header(message, ":message-type", "event");
        String name = switch (messageType) {
            case "event" -> header(message, ":event-type", "");
            case "exception" -> EXCEPTION + header(message, ":exception-type", "exception");
            default -> EXCEPTION + header(message, ":error-code", "error"); // "error" messages
        };
        String data = new String(message.getPayload(), StandardCharsets.UTF_8);
        if (messageType.equals("error") && data.isEmpty()) {
            data = Json.MAPPER.createObjectNode().put("message", header(message, ":error-message", "stream error")).toString();
        }
        return new SseEvent(name, data, Buffer.buffer(message.getPayload()));
    }

    private static String header(Message message, String name, String otherwise) {
        HeaderValue v = message.getHeaders().get(name);
        return v == null ? otherwise : v.getString();
    }

    @Override
    public void feed(Buffer chunk) {
        if (corrupt) {
            return;
        }
        try {
            decoder.feed(chunk.getBytes());
        } catch (RuntimeException e) {
            // A checksum or length that does not add up: nothing after it can be trusted.
            corrupt = true;
            String data = Json.MAPPER.createObjectNode().put("message", "the event stream is corrupt (" + e.getMessage() + ")").toString();
            sink.accept(new SseEvent(EXCEPTION + "corruptStream", data, Buffer.buffer()));
        }
    }

    @Override
    public void end() {
        // A partial message at the end is a stream cut short: the translator has then not finished.
    }
}
