package io.agentgateway.llm.bedrock;

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
 * One ConverseStream answer as an OpenAI chunk stream. Events come from
 * {@link AwsEventStreamDecoder}, named by their {@code :event-type}:
 * <ul>
 *   <li>{@code messageStart}: the opening chunk ({@code role: assistant});</li>
 *   <li>{@code contentBlockStart} with a {@code toolUse}: a tool call numbered in arrival order,
 *       its id and name in the first delta;</li>
 *   <li>{@code contentBlockDelta}: {@code text} as {@code content}, {@code reasoningContent.text}
 *       as {@code reasoning_content}, {@code toolUse.input} fragments as argument deltas;</li>
 *   <li>{@code messageStop}: the finish chunk; the stream has finished;</li>
 *   <li>{@code metadata}: the usage (after {@code messageStop}), and the usage chunk when the
 *       client asked for it;</li>
 *   <li>{@code exception/<name>}: an OpenAI error event.</li>
 * </ul>
 * Not thread-safe: one per stream, on its event loop.
 */
final class ConverseStream implements StreamTranslator {
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

    private final ChatRequest request;
    private final OpenAiChunks chunks;
    private int[] toolCallOfBlock = new int[4];
    private boolean[] argumentsSent = new boolean[4];
    private int toolCalls;
    private boolean started;
    private boolean finished;
    private boolean usageSent;
    private Usage usage;
    private long deliveredChars;

    ConverseStream(ChatRequest request, String id, long created) {
        this.request = request;
        this.chunks = new OpenAiChunks(created, request.clientWantsStreamUsage());
        chunks.identify(id, request.model());
    }

    @Override
    public void onEvent(SseEvent event, Buffer out) {
        String type = event.type();
        if (type.startsWith(AwsEventStreamDecoder.EXCEPTION)) {
            OpenAiChunks.error(out, BedrockErrors.streamError(type.substring(AwsEventStreamDecoder.EXCEPTION.length()), event.data()));
            return;
        }
        JsonNode e;
        try {
            e = Json.MAPPER.readTree(event.data());
        } catch (IOException ex) {
            return;
        }
        if (e == null || !e.isObject()) {
            return;
        }
        switch (type) {
            case "messageStart" -> ensureStarted(out);
            case "contentBlockStart" -> blockStart(e.path("contentBlockIndex").asInt(-1), e.path("start"), out);
            case "contentBlockDelta" -> blockDelta(e.path("contentBlockIndex").asInt(-1), e.path("delta"), out);
            case "contentBlockStop" -> blockStop(e.path("contentBlockIndex").asInt(-1), out);
            case "messageStop" -> {
                ensureStarted(out);
                if (!finished) {
                    finished = true;
                    chunks.finish(out, ConverseUsage.finishReason(e.path("stopReason").asText(null)));
                }
            }
            case "metadata" -> {
                Usage reported = ConverseUsage.of(e.get("usage"));
                if (reported != null) {
                    usage = reported;
                    if (request.clientWantsStreamUsage() && !usageSent) {
                        usageSent = true;
                        chunks.usage(out, usage);
                    }
                }
            }
            default -> {
                // event types Bedrock may add
            }
        }
    }

    private void ensureStarted(Buffer out) {
        if (!started) {
            started = true;
            chunks.role(out);
        }
    }

    private void blockStart(int index, JsonNode start, Buffer out) {
        ensureStarted(out);
        JsonNode use = start.get("toolUse");
        if (use == null || index < 0) {
            return;
        }
        grow(index);
        int call = toolCalls++;
        toolCallOfBlock[index] = call + 1;
        argumentsSent[index] = false;
        String name = use.path("name").asText("");
        deliveredChars += name.length();
        chunks.toolCallStart(out, call, use.path("toolUseId").asText(""), name);
    }

    private void blockDelta(int index, JsonNode delta, Buffer out) {
        ensureStarted(out);
        if (delta.has("text")) {
            text(out, "content", delta.path("text").asText(""));
        } else if (delta.has("reasoningContent")) {
            text(out, "reasoning_content", delta.path("reasoningContent").path("text").asText(""));
        } else if (delta.has("toolUse")) {
            String fragment = delta.path("toolUse").path("input").asText("");
            int call = toolCall(index);
            if (call >= 0 && !fragment.isEmpty()) {
                argumentsSent[index] = true;
                deliveredChars += fragment.length();
                chunks.toolCallArguments(out, call, fragment);
            }
        }
    }

    private void blockStop(int index, Buffer out) {
        int call = toolCall(index);
        if (call >= 0 && !argumentsSent[index]) {
            argumentsSent[index] = true;
            chunks.toolCallArguments(out, call, "{}");
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
        if (usage != null) {
            return usage;
        }
        long input = request.estimatePromptTokens();
        long output = (deliveredChars + 3) / 4;
        return new Usage(input, output, input + output, 0, true);
    }

    @Override
    public String responseModel() {
        return null;
    }
}
