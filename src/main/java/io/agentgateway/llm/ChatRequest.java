package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.List;

/**
 * An OpenAI chat-completions request, read once with a streaming parser and checked for what the
 * gateway relies on ({@code model}, {@code messages}): no tree is built for a request that is
 * forwarded in OpenAI's own format, whose raw bytes then go upstream unchanged. A translator to
 * another wire format asks for {@link #json()}, parsed on first use. The checks and their 400s are
 * those of a tree parse: the whole body must be JSON first, a member named twice counts by its
 * last value (as a tree keeps it), and an error names the parameter and its index path.
 * Confined to its request's event loop.
 */
public final class ChatRequest {
    private final Buffer raw;
    private final ChatScan scan;
    private ObjectNode json;
    private long promptEstimate = -1;

    private ChatRequest(Buffer raw, ChatScan scan) {
        this.raw = raw;
        this.scan = scan;
    }

    public static ChatRequest parse(Buffer body) {
        ChatScan scan = read(body);
        String model = scan.model;
        if (scan.modelKind == null || scan.modelKind == JsonToken.VALUE_NULL) {
            throw GatewayError.invalid("missing required parameter: 'model'", "model");
        }
        if (scan.modelKind != JsonToken.VALUE_STRING || model.isBlank()) {
            throw GatewayError.invalid("'model' must be a non-empty string", "model");
        }
        if (scan.messagesKind == null || scan.messagesKind == JsonToken.VALUE_NULL) {
            throw GatewayError.invalid("missing required parameter: 'messages'", "messages");
        }
        if (scan.messagesKind != JsonToken.START_ARRAY) {
            throw GatewayError.invalid("'messages' must be an array of message objects, not " + kind(scan.messagesKind), "messages");
        }
        if (scan.messageTexts.isEmpty()) {
            throw GatewayError.invalid("'messages' must contain at least one message", "messages");
        }
        if (scan.badMessage >= 0) {
            int i = scan.badMessage;
            if (scan.badMessageKind != JsonToken.START_OBJECT) {
                throw GatewayError.invalid("messages[" + i + "] must be an object, not " + kind(scan.badMessageKind), "messages[" + i + "]");
            }
            throw GatewayError.invalid("messages[" + i + "].role is required and must be a string", "messages[" + i + "].role");
        }
        JsonToken stream = scan.streamKind;
        if (stream != null && stream != JsonToken.VALUE_NULL && !stream.isBoolean()) {
            throw GatewayError.invalid("'stream' must be a boolean, not " + kind(stream), "stream");
        }
        return new ChatRequest(body, scan);
    }

    private static ChatScan read(Buffer body) {
        if (body.length() == 0) {
            throw empty();
        }
        if (body.length() > Json.MAX_STRING_LENGTH) {
            // Only a body this large can hold a string over the parser's length limit, which a
            // tree parse enforces as it builds the string: refuse it with the same 400.
            Json.parseObject(body);
        }
        ChatScan scan = new ChatScan();
        JsonParser p = null;
        try {
            p = Json.parser(body);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw empty();
            }
            if (first != JsonToken.START_OBJECT) {
                ChatScan.skip(p);
                throw GatewayError.invalid("the request body must be a JSON object, not " + kind(first), null);
            }
            scan.object(p);
            return scan;
        } catch (JsonProcessingException e) {
            throw notJson(Json.describe(e, p));
        } catch (IOException e) {
            // Reading memory fails only on the content: Jackson detected UTF-16/32 from the first
            // bytes and then met a character that encoding cannot hold.
            throw notJson("not a valid JSON text encoding (" + e.getMessage() + "); send UTF-8");
        } catch (NumberFormatException e) {
            JsonLocation at = p.currentLocation();
            throw notJson("line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + ": a number the gateway cannot read (its exponent is too large)");
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // in-memory input: nothing to release
                }
            }
        }
    }

    private static GatewayError empty() {
        return GatewayError.invalid("the request body is empty; it must be a JSON object", null);
    }

    private static GatewayError notJson(String where) {
        return GatewayError.invalid("the request body is not valid JSON at " + where, null);
    }

    /** How a JSON value starting with {@code token} is called in an error message, as {@link Json#kind} calls a node. */
    static String kind(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }

    static String requireModel(ObjectNode json) {
        JsonNode model = json.get("model");
        if (model == null || model.isNull()) {
            throw GatewayError.invalid("missing required parameter: 'model'", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("'model' must be a non-empty string", "model");
        }
        return model.asText();
    }

    public Buffer raw() {
        return raw;
    }

    /**
     * The parsed body, shared by every reader of the request: read it, never change it (a
     * translator builds its own output, see {@link ChatTranslator}). Parsed on first use: a request
     * passed through in OpenAI's format never needs it.
     */
    public ObjectNode json() {
        if (json == null) {
            json = Json.parseObject(raw);
        }
        return json;
    }

    public String model() {
        return scan.model;
    }

    public boolean stream() {
        return scan.streamKind == JsonToken.VALUE_TRUE;
    }

    /** True when the client itself asked for the usage chunk ({@code stream_options.include_usage}). */
    public boolean clientWantsStreamUsage() {
        return scan.includeUsage;
    }

    /** The completion cap the client set ({@code max_completion_tokens}, else {@code max_tokens}), or -1. */
    public int maxTokens() {
        long n = scan.maxCompletionTokens != ChatScan.NOT_INT ? scan.maxCompletionTokens : scan.maxTokens;
        return n != ChatScan.NOT_INT && n > 0 ? (int) n : -1;
    }

    /**
     * Prompt tokens as an OpenAI tokenizer counts the message texts, plus a few per message for
     * framing. Counted once per request, each message through {@link TokenCounter#countRecent}.
     */
    public long estimatePromptTokens() {
        if (promptEstimate < 0) {
            promptEstimate = countPromptTokens();
        }
        return promptEstimate;
    }

    private long countPromptTokens() {
        long tokens = 3;
        String model = scan.model;
        List<String> texts = scan.messageTexts;
        for (int i = 0; i < texts.size(); i++) {
            tokens += 4 + TokenCounter.countRecent(texts.get(i), model);
        }
        if (scan.tools != null) {
            tokens += TokenCounter.countRecent(scan.tools, model);
        }
        return tokens;
    }
}
