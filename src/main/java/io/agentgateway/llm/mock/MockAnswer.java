package io.agentgateway.llm.mock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.TokenCounter;
import io.agentgateway.server.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the mock answers: a text (split into word chunks for streams) or one tool call. Immutable. */
final class MockAnswer {
    private final String text;
    private final String toolName;
    private final String toolCallId;
    private final String finishReason;

    private MockAnswer(String text, String toolName, String toolCallId, String finishReason) {
        this.text = text;
        this.toolName = toolName;
        this.toolCallId = toolCallId;
        this.finishReason = finishReason;
    }

    static MockAnswer text(String text, int maxTokens, String model) {
        if (maxTokens > 0 && TokenCounter.count(text, model) > maxTokens) {
            // Cut at word boundaries until it fits, as a real model stopping at max_tokens would.
            String[] words = text.split(" ");
            StringBuilder cut = new StringBuilder();
            for (String w : words) {
                String next = cut.isEmpty() ? w : cut + " " + w;
                if (TokenCounter.count(next, model) > maxTokens) {
                    break;
                }
                cut.setLength(0);
                cut.append(next);
            }
            return new MockAnswer(cut.toString(), null, null, "length");
        }
        return new MockAnswer(text, null, null, "stop");
    }

    static MockAnswer toolCall(String name, String id) {
        return new MockAnswer(null, name, id, "tool_calls");
    }

    long tokens(String model) {
        return toolName != null ? TokenCounter.count(toolName + "{}", model) + 3 : TokenCounter.count(text, model);
    }

    ObjectNode completion(String id, long created, String model, long promptTokens, long completionTokens) {
        ObjectNode out = header(id, created, model, "chat.completion");
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (toolName != null) {
            message.putNull("content");
            toolCalls(message, true);
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        usage(out, promptTokens, completionTokens);
        return out;
    }

    /** The stream's chunks, role first and finish reason last, as OpenAI sends them. */
    List<ObjectNode> chunks(String id, long created, String model) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode first = chunk(id, created, model);
        ObjectNode firstChoice = ((ArrayNode) first.get("choices")).addObject().put("index", 0);
        ObjectNode delta = firstChoice.putObject("delta");
        delta.put("role", "assistant");
        if (toolName != null) {
            delta.putNull("content");
            toolCalls(delta, true);
        } else {
            delta.put("content", "");
        }
        firstChoice.putNull("finish_reason");
        out.add(first);
        if (text != null) {
            String[] words = text.split("(?<= )");
            for (String w : words) {
                ObjectNode c = chunk(id, created, model);
                ObjectNode choice = ((ArrayNode) c.get("choices")).addObject().put("index", 0);
                choice.putObject("delta").put("content", w);
                choice.putNull("finish_reason");
                out.add(c);
            }
        }
        ObjectNode last = chunk(id, created, model);
        ObjectNode choice = ((ArrayNode) last.get("choices")).addObject().put("index", 0);
        choice.putObject("delta");
        choice.put("finish_reason", finishReason);
        out.add(last);
        return out;
    }

    ObjectNode usageChunk(String id, long created, String model, long promptTokens, long completionTokens) {
        ObjectNode c = chunk(id, created, model);
        c.putArray("choices");
        usage(c, promptTokens, completionTokens);
        return c;
    }

    private void toolCalls(ObjectNode message, boolean withIndex) {
        ArrayNode calls = message.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        if (withIndex) {
            call.put("index", 0);
        }
        call.put("id", toolCallId);
        call.put("type", "function");
        call.putObject("function").put("name", toolName).put("arguments", "{}");
    }

    private static ObjectNode header(String id, long created, String model, String object) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", id);
        out.put("object", object);
        out.put("created", created);
        out.put("model", model);
        out.put("system_fingerprint", "fp_agentgateway_mock");
        return out;
    }

    private static ObjectNode chunk(String id, long created, String model) {
        ObjectNode c = header(id, created, model, "chat.completion.chunk");
        c.putArray("choices");
        return c;
    }

    private static void usage(ObjectNode out, long promptTokens, long completionTokens) {
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    }

    /** A deterministic unit vector for a text: the same input always embeds the same. */
    static float[] vector(String text, int dims) {
        long seed = 1125899906842597L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            seed = 31 * seed + b;
        }
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            v[i] = (float) ((seed % 2000) / 1000.0);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm == 0 ? 1 : norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
