package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.llm.ChatRequest;
import io.agentgateway.llm.ChatTranslator;
import io.agentgateway.llm.StreamTranslator;
import io.agentgateway.llm.TranslatedResponse;
import io.agentgateway.server.Json;
import io.vertx.core.buffer.Buffer;

import java.time.Clock;

/**
 * OpenAI chat-completions clients (the openai SDKs, Kagent) to Anthropic's Messages API
 * ({@value #PATH}, {@code anthropic-version: }{@value #VERSION}) and back:
 * <ul>
 *   <li>requests: system/developer messages to {@code system}, turns merged to alternate, tool
 *       calls and results to {@code tool_use}/{@code tool_result} blocks, images to base64 or url
 *       sources, tools and {@code tool_choice}, {@code max_tokens} (Anthropic requires it:
 *       4096 when the client set none), sampling,
 *       stop sequences, {@code user}; see {@link AnthropicRequestWriter} for what is refused or dropped;</li>
 *   <li>answers: a {@code chat.completion}, or {@code chat.completion.chunk} events ending in
 *       {@code [DONE]}, with usage counting cache reads and writes in the prompt;</li>
 *   <li>errors: Anthropic's error shape to OpenAI's, type mapped, Anthropic's type kept as the code.</li>
 * </ul>
 * The {@code created} time of answers comes from the injected {@link Clock}.
 *
 * <p>Immutable and thread-safe; per-stream state lives in the {@link StreamTranslator} it makes.
 */
public final class OpenAiToAnthropic implements ChatTranslator {
    /** The path requests go to, relative to the provider's base URL. */
    public static final String PATH = "/v1/messages";
    /** The value of the {@code anthropic-version} header these bodies are written for. */
    public static final String VERSION = "2023-06-01";
    /** The {@code anthropic_version} Anthropic's models on Google Vertex AI take in the body. */
    public static final String VERTEX_VERSION = "vertex-2023-10-16";
    public static final OpenAiToAnthropic INSTANCE = new OpenAiToAnthropic(Clock.systemUTC());
    /** For Claude on Vertex AI: the model is in the path, not the body, and the version is in the body. */
    public static final OpenAiToAnthropic VERTEX = new OpenAiToAnthropic(Clock.systemUTC(), true);

    private final Clock clock;
    private final boolean vertex;

    public OpenAiToAnthropic(Clock clock) {
        this(clock, false);
    }

    public OpenAiToAnthropic(Clock clock, boolean vertex) {
        this.clock = clock;
        this.vertex = vertex;
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.agentgateway.server.GatewayError 400 naming the parameter when the request asks
     *         for what Anthropic cannot give ({@code n > 1}) or holds what cannot be translated
     *         (tool call arguments that are not a JSON object, an image that is neither an http(s)
     *         nor a base64 {@code data:} URL)
     */
    @Override
    public Buffer requestBody(ChatRequest request, String upstreamModel) {
        ObjectNode body = AnthropicRequestWriter.write(request, upstreamModel);
        if (vertex) {
            body.remove("model");
            body.put("anthropic_version", VERTEX_VERSION);
        }
        return Json.write(body);
    }

    @Override
    public TranslatedResponse response(ChatRequest request, Buffer upstreamBody) {
        return AnthropicResponseReader.read(upstreamBody, now());
    }

    @Override
    public StreamTranslator stream(ChatRequest request) {
        return new AnthropicStream(request, now());
    }

    @Override
    public Buffer error(int status, Buffer upstreamBody) {
        return AnthropicErrors.body(status, upstreamBody);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
