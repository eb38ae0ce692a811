package io.agentgateway.llm.bedrock;

import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.agentgateway.upstream.EventDecoder;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * OpenAI chat-completions clients to Bedrock's Converse API ({@code /model/ID/converse}) and
 * ConverseStream ({@code /model/ID/converse-stream}, framed as
 * {@value #STREAM_CONTENT_TYPE}) and back. See {@link ConverseRequestWriter} for the request,
 * {@link ConverseResponseReader} and {@link ConverseStream} for answers, {@link BedrockErrors}
 * for errors. Converse answers name neither an id nor the model: the client gets a generated
 * {@code chatcmpl-} id and the model it asked for. The {@code created} time comes from the clock.
 *
 * <p>Immutable and thread-safe; per-stream state lives in the {@link StreamTranslator} it makes.
 */
public final class OpenAiToBedrock implements ChatTranslator {
    /** The content type of ConverseStream's binary event stream. */
    public static final String STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";
    public static final OpenAiToBedrock INSTANCE = new OpenAiToBedrock(Clock.systemUTC(),
            () -> "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));

    private final Clock clock;
    private final Supplier<String> ids;

    /** @param ids the ids answers are given (Converse names none) */
    public OpenAiToBedrock(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public Buffer requestBody(ChatRequest request, String upstreamModel) {
        return Json.write(ConverseRequestWriter.write(request));
    }

    @Override
    public TranslatedResponse response(ChatRequest request, Buffer upstreamBody) {
        return ConverseResponseReader.read(upstreamBody, id(), request.model(), now());
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new ConverseStream(request, id(), now());
    }

    @Override
    public String streamContentType() {
        return STREAM_CONTENT_TYPE;
    }

    @Override
    public EventDecoder streamDecoder(Consumer<SseEvent> sink) {
        return new AwsEventStreamDecoder(sink);
    }

    @Override
    public Buffer error(int status, Buffer upstreamBody) {
        return BedrockErrors.body(status, upstreamBody);
    }

    private String id() {
        return ids.get();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
