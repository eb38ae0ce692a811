package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.core.Usage;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.openai.OpenAiChunks;
import io.agentgateway.server.Json;
import io.agentgateway.server.SseEvent;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * One Anthropic Messages event stream as an OpenAI chunk stream:
 * <ul>
 *   <li>{@code message_start}: the opening chunk ({@code role: assistant}); id, model and input usage;</li>
 *   <li>{@code text_delta} / {@code thinking_delta}: {@code content} / {@code reasoning_content} deltas;</li>
 *   <li>a {@code tool_use} block: a tool call numbered in arrival order, id and name in its first
 *       delta, {@code input_json_delta} fragments as argument deltas ({@code "{}"} when the tool
 *       took no input, so clients always get JSON);</li>
 *   <li>{@code message_delta}: the finish chunk; the final usage;</li>
 *   <li>{@code message_stop}: the end, preceded by the usage chunk when the client asked for it;</li>
 *   <li>{@code error}: an OpenAI error event; the stream has then not finished;</li>
 *   <li>{@code ping}, signatures, citations and event types Anthropic may add: nothing.</li>
 * </ul>
 * Each event is parsed once into a small tree; chunks are written straight into the output.
 * Not thread-safe: one per stream, on its event loop.
 */
final class AnthropicStream implements StreamTranslator {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ChatRequest request;
    private final OpenAiChunks chunks;
    private final AnthropicUsage usage = new AnthropicUsage();
    /** Per content block index: the OpenAI tool call index + 1, or 0 for a block that is no tool call. */
    private int[] toolCallOfBlock = new int[4];
    /** Per content block index: whether any argument fragment was sent for its tool call. */
    private boolean[] argumentsSent = new boolean[4];
    private int toolCalls;
    private String model;
    private boolean started;
    private boolean finishSent;
    private boolean finalUsage;
    private boolean finished;
    private long deliveredChars;

    AnthropicStream(ChatRequest request, long created) {
        this.request = request;
        this.chunks = new OpenAiChunks(created, request.clientWantsStreamUsage());
    }

    @Override
    public void onEvent(SseEvent event, Buffer out) {
        if (event.data().isEmpty()) {
            return;
        }
        JsonNode e;
        try {
            e = Json.MAPPER.readTree(event.data());
        } catch (IOException ex) {
            return; // not an Anthropic event: nothing a client could use
        }
        if (e == null || !e.isObject()) {
            return;
        }
        String type = e.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> messageStart(e.path("message"), out);
            case "content_block_start" -> blockStart(e.path("index").asInt(), e.path("content_block"), out);
            case "content_block_delta" -> blockDelta(e.path("index").asInt(), e.path("delta"), out);
            case "content_block_stop" -> blockStop(e.path("index").asInt(), out);
            case "message_delta" -> messageDelta(e, out);
            case "message_stop" -> messageStop(out);
            case "error" -> OpenAiChunks.error(out, AnthropicErrors.streamError(e));
            default -> {
                // ping, and event types Anthropic may add
            }
        }
    }

    private void messageStart(JsonNode message, Buffer out) {
        model = message.path("model").isTextual() ? message.get("model").asText() : null;
        chunks.identify(message.path("id").isTextual() ? message.get("id").asText() : null, model);
        usage.merge(message.get("usage"));
        ensureStarted(out);
    }

    private void ensureStarted(Buffer out) {
        if (!started) {
            started = true;
            chunks.role(out);
        }
    }

    private void blockStart(int index, JsonNode block, Buffer out) {
        ensureStarted(out);
        switch (block.path("type").asText()) {
            case "text" -> text(out, "content", block.path("text").asText(""));
            case "thinking" -> text(out, "reasoning_content", block.path("thinking").asText(""));
            case "tool_use" -> {
                if (index < 0) {
                    return;
                }
                grow(index);
                int call = toolCalls++;
                toolCallOfBlock[index] = call + 1;
                argumentsSent[index] = false;
                String name = block.path("name").asText("");
                deliveredChars += name.length();
                chunks.toolCallStart(out, call, block.path("id").asText(""), name);
            }
            default -> {
                // server tool use and results, redacted thinking
            }
        }
    }

    private void blockDelta(int index, JsonNode delta, Buffer out) {
        ensureStarted(out);
        switch (delta.path("type").asText()) {
            case "text_delta" -> text(out, "content", delta.path("text").asText(""));
            case "thinking_delta" -> text(out, "reasoning_content", delta.path("thinking").asText(""));
            case "input_json_delta" -> {
                String fragment = delta.path("partial_json").asText("");
                int call = toolCall(index);
                if (call >= 0 && !fragment.isEmpty()) {
                    argumentsSent[index] = true;
                    deliveredChars += fragment.length();
                    chunks.toolCallArguments(out, call, fragment);
                }
            }
            default -> {
                // signature_delta, citations_delta
            }
        }
    }

    private void blockStop(int index, Buffer out) {
        int call = toolCall(index);
        if (call >= 0 && !argumentsSent[index]) {
            // A tool without input streams no fragments; OpenAI clients parse the arguments as JSON.
            argumentsSent[index] = true;
            chunks.toolCallArguments(out, call, "{}");
        }
    }

    private void messageDelta(JsonNode e, Buffer out) {
        JsonNode reported = e.get("usage");
        if (reported != null && reported.isObject()) {
            usage.merge(reported);
            finalUsage = true;
        }
        JsonNode stopReason = e.path("delta").get("stop_reason");
        if (stopReason != null && stopReason.isTextual() && !finishSent) {
            ensureStarted(out);
            finishSent = true;
            chunks.finish(out, AnthropicResponseReader.finishReason(stopReason.asText()));
        }
    }

    private void messageStop(Buffer out) {
        if (!finishSent) {
            ensureStarted(out);
            finishSent = true;
            chunks.finish(out, "stop");
        }
        finished = true;
        if (request.clientWantsStreamUsage()) {
            chunks.usage(out, usage.toUsage());
        }
    }

    private void text(Buffer out, String field, String text) {
        if (!text.isEmpty()) {
            deliveredChars += text.length();
            chunks.text(out, field, text);
        }
    }

    private int toolCall(int index) {
        return index >= 0 && index < toolCallOfBlock.length ? toolCallOfBlock[index] - 1 : -1;
    }

    private void grow(int index) {
        if (index >= toolCallOfBlock.length) {
            int size = Math.max(index + 1, toolCallOfBlock.length * 2);
            toolCallOfBlock = Arrays.copyOf(toolCallOfBlock, size);
            argumentsSent = Arrays.copyOf(argumentsSent, size);
        }
    }

    @Override
    public void onEnd(Buffer out) {
        out.appendBuffer(DONE);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public Usage usage() {
        if (finalUsage) {
            return usage.toUsage();
        }
        // Cut short: the input as Anthropic counted it if message_start came, the output as delivered.
        long input = usage.sawInput() ? usage.promptTokens() : request.estimatePromptTokens();
        long output = (deliveredChars + 3) / 4;
        return new Usage(input, output, input + output, usage.cachedTokens(), true);
    }

    @Override
    public String responseModel() {
        return model;
    }
}
