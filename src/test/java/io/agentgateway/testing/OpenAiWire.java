package io.agentgateway.testing;

import io.agentgateway.core.Usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's response bodies, shaped field for field like the examples in the API reference
 * ("The chat completion object", "The chat completion chunk object"). Usage numbers are fixed:
 * 19 prompt tokens, 10 completion tokens.
 */
public final class OpenAiWire {
    public static final int PROMPT_TOKENS = 19;
    public static final int COMPLETION_TOKENS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {
    }

    public static ObjectNode completion(String model, String text, String toolName) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
        out.put("object", "chat.completion");
        out.put("created", 1741569952);
        out.put("model", model);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (toolName != null) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", "call_abc123");
            call.put("type", "function");
            call.putObject("function").put("name", toolName).put("arguments", "{\"location\":\"Boston, MA\"}");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", toolName != null ? "tool_calls" : "stop");
        usage(out);
        out.put("service_tier", "default");
        return out;
    }

    /** The chunks of a streamed answer; with {@code includeUsage} every chunk carries {@code usage: null} and a last one has it. */
    public static List<ObjectNode> chunks(String model, String text, String toolName, boolean includeUsage) {
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode first = chunk(model, includeUsage);
        ObjectNode delta = choice(first).putObject("delta");
        delta.put("role", "assistant");
        if (toolName != null) {
            delta.putNull("content");
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0);
            call.put("id", "call_abc123");
            call.put("type", "function");
            call.putObject("function").put("name", toolName).put("arguments", "");
        } else {
            delta.put("content", "");
            delta.putNull("refusal");
        }
        ((ObjectNode) first.get("choices").get(0)).putNull("logprobs").putNull("finish_reason");
        out.add(first);
        if (toolName != null) {
            for (String part : new String[]{"{\"location\"", ":\"Boston, MA\"}"}) {
                ObjectNode c = chunk(model, includeUsage);
                ObjectNode d = choice(c).putObject("delta");
                ObjectNode call = d.putArray("tool_calls").addObject();
                call.put("index", 0);
                call.putObject("function").put("arguments", part);
                ((ObjectNode) c.get("choices").get(0)).putNull("logprobs").putNull("finish_reason");
                out.add(c);
            }
        } else {
            for (String word : text.split("(?<= )")) {
                ObjectNode c = chunk(model, includeUsage);
                choice(c).putObject("delta").put("content", word);
                ((ObjectNode) c.get("choices").get(0)).putNull("logprobs").putNull("finish_reason");
                out.add(c);
            }
        }
        ObjectNode last = chunk(model, includeUsage);
        choice(last).putObject("delta");
        ((ObjectNode) last.get("choices").get(0)).putNull("logprobs").put("finish_reason", toolName != null ? "tool_calls" : "stop");
        out.add(last);
        if (includeUsage) {
            ObjectNode u = chunk(model, false);
            usage(u);
            out.add(u);
        }
        return out;
    }

    private static ObjectNode chunk(String model, boolean nullUsage) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-123");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1694268190);
        c.put("model", model);
        c.put("service_tier", "default");
        c.put("system_fingerprint", "fp_44709d6fcb");
        c.putArray("choices");
        if (nullUsage) {
            c.putNull("usage");
        }
        return c;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        return ((ArrayNode) chunk.get("choices")).addObject().put("index", 0);
    }

    private static void usage(ObjectNode out) {
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", PROMPT_TOKENS);
        usage.put("completion_tokens", COMPLETION_TOKENS);
        usage.put("total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
    }
}
