package io.agentgateway.llm;

import io.agentgateway.config.ProviderConfig;
import io.agentgateway.config.ProviderConfig.ProviderType;
import io.agentgateway.llm.ProviderDialect.Api;
import io.agentgateway.upstream.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each provider type's dialect says about paths, capabilities and the headers every request carries. */
class ProviderDialectTest {
    private static ProviderConfig config(ProviderType type, String apiVersion) {
        return new ProviderConfig("p", type, null, null, null, null, null, null, null, apiVersion, null, null, null, null, null);
    }

    private static ProviderDialect dialect(ProviderType type) {
        return ProviderDialect.of(config(type, null), ProviderDialect.Secrets.NONE, Clock.systemUTC());
    }

    private static UpstreamRequest authorized(ProviderDialect dialect) {
        UpstreamRequest request = UpstreamRequest.to("http://127.0.0.1:1/x", io.vertx.core.http.HttpMethod.POST);
        assertThat(dialect.authorize(request, Buffer.buffer("{}")).succeeded()).isTrue();
        return request;
    }

    @Test
    void openAiWireTypesShareOnePathLayout() {
        for (ProviderType type : new ProviderType[]{ProviderType.OPENAI, ProviderType.OLLAMA, ProviderType.OPENAI_COMPATIBLE,
                ProviderType.GEMINI, ProviderType.MOCK}) {
            ProviderDialect d = dialect(type);
            assertThat(d.path(Api.CHAT, "m", false)).isEqualTo("/chat/completions");
            assertThat(d.path(Api.CHAT, "m", true)).isEqualTo("/chat/completions");
            assertThat(d.path(Api.EMBEDDINGS, "m", false)).isEqualTo("/embeddings");
            assertThat(d.supports(Api.EMBEDDINGS)).isTrue();
        }
        assertThat(dialect(ProviderType.OPENAI).defaultBaseUrl()).isEqualTo("https://api.openai.com/v1");
        assertThat(dialect(ProviderType.OLLAMA).defaultBaseUrl()).isEqualTo("http://localhost:11434/v1");
        assertThat(dialect(ProviderType.GEMINI).defaultBaseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta/openai");
        assertThat(dialect(ProviderType.OPENAI_COMPATIBLE).defaultBaseUrl()).isNull();
        assertThat(dialect(ProviderType.GEMINI).semanticName()).isEqualTo("gcp.gemini");
        assertThat(dialect(ProviderType.OLLAMA).semanticName()).isEqualTo("openai");
    }

    @Test
    void azurePutsTheDeploymentAndVersionInThePath() {
        ProviderDialect d = ProviderDialect.of(config(ProviderType.AZURE_OPENAI, "2025-01-01 preview"), ProviderDialect.Secrets.NONE, Clock.systemUTC());
        assertThat(d.path(Api.CHAT, "gpt 4o", true)).isEqualTo("/openai/deployments/gpt+4o/chat/completions?api-version=2025-01-01+preview");
        assertThat(d.path(Api.EMBEDDINGS, "emb", false)).isEqualTo("/openai/deployments/emb/embeddings?api-version=2025-01-01+preview");
        assertThat(dialect(ProviderType.AZURE_OPENAI).path(Api.CHAT, "d", false)).endsWith("?api-version=2024-10-21");
        assertThat(d.defaultBaseUrl()).isNull();
        assertThat(d.semanticName()).isEqualTo("azure.ai.openai");
    }

    @Test
    void anthropicHasMessagesAndItsVersionHeaderButNoEmbeddings() {
        ProviderDialect d = dialect(ProviderType.ANTHROPIC);
        assertThat(d.path(Api.CHAT, "claude", true)).isEqualTo("/messages");
        assertThat(d.supports(Api.CHAT)).isTrue();
        assertThat(d.supports(Api.EMBEDDINGS)).isFalse();
        assertThat(authorized(d).headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(authorized(d).headers().contains("x-api-key")).isFalse();
    }

    @Test
    void bedrockWithoutARegionToSignForIsRefusedWithItsReason() {
        assertThatThrownBy(() -> dialect(ProviderType.BEDROCK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bedrock needs region");
    }

    @Test
    void bedrockConverseHasTheModelInOneEncodedPathSegmentAndTheRegionInItsHost() {
        ProviderDialect d = ProviderDialect.of(new ProviderConfig("p", ProviderType.BEDROCK, null, null, null, null, null, null, null,
                null, "eu-west-3", null, "keys", null, null), ProviderDialect.Secrets.NONE, Clock.systemUTC());
        assertThat(d.defaultBaseUrl()).isEqualTo("https://bedrock-runtime.eu-west-3.amazonaws.com");
        assertThat(d.path(Api.CHAT, "anthropic.claude-sonnet-4-5-20250929-v1:0", false))
                .isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
        assertThat(d.path(Api.CHAT, "arn:aws:bedrock:eu-west-3:1:inference-profile/eu.x", true))
                .isEqualTo("/model/arn%3Aaws%3Abedrock%3Aeu-west-3%3A1%3Ainference-profile%2Feu.x/converse-stream");
        assertThat(d.supports(Api.EMBEDDINGS)).isFalse();
        assertThat(d.semanticName()).isEqualTo("aws.bedrock");
        assertThat(io.agentgateway.llm.bedrock.BedrockDialect.regionOf("bedrock-runtime.us-west-2.amazonaws.com")).isEqualTo("us-west-2");
        assertThat(io.agentgateway.llm.bedrock.BedrockDialect.regionOf("bedrock-runtime-fips.us-gov-west-1.amazonaws.com"))
                .isEqualTo("us-gov-west-1");
        assertThat(io.agentgateway.llm.bedrock.BedrockDialect.regionOf("127.0.0.1")).isNull();
    }

    private static ProviderConfig google(ProviderType type, ProviderConfig.WireApi api, String project, String region) {
        return new ProviderConfig("p", type, null, null, null, null, null, null, null, null, region, null, null, api, project);
    }

    @Test
    void geminiKeepsItsOpenAiEndpointUnlessAskedForItsOwnApi() {
        ProviderDialect compatible = ProviderDialect.of(google(ProviderType.GEMINI, null, null, null), ProviderDialect.Secrets.NONE,
                Clock.systemUTC());
        assertThat(compatible.path(Api.CHAT, "gemini-2.5-flash", true)).isEqualTo("/chat/completions");
        ProviderDialect nativeApi = ProviderDialect.of(google(ProviderType.GEMINI, ProviderConfig.WireApi.NATIVE, null, null),
                ProviderDialect.Secrets.NONE, Clock.systemUTC());
        assertThat(nativeApi.defaultBaseUrl()).isEqualTo("https://generativelanguage.googleapis.com/v1beta");
        assertThat(nativeApi.path(Api.CHAT, "gemini-2.5-flash", false)).isEqualTo("/models/gemini-2.5-flash:generateContent");
        assertThat(nativeApi.path(Api.CHAT, "gemini-2.5-flash", true)).isEqualTo("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
        assertThat(nativeApi.supports(Api.EMBEDDINGS)).isFalse();
    }

    @Test
    void vertexPicksThePublisherAndTranslatorByModel() {
        ProviderDialect d = ProviderDialect.of(google(ProviderType.VERTEX_AI, null, "my-project", "europe-west4"),
                ProviderDialect.Secrets.NONE, Clock.systemUTC());
        assertThat(d.defaultBaseUrl()).isEqualTo("https://europe-west4-aiplatform.googleapis.com/v1/projects/my-project/locations/europe-west4");
        assertThat(d.path(Api.CHAT, "gemini-2.5-pro", false)).isEqualTo("/publishers/google/models/gemini-2.5-pro:generateContent");
        assertThat(d.path(Api.CHAT, "gemini-2.5-pro", true)).isEqualTo("/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
        assertThat(d.path(Api.CHAT, "claude-sonnet-4-5@20250929", false))
                .isEqualTo("/publishers/anthropic/models/claude-sonnet-4-5%4020250929:rawPredict");
        assertThat(d.path(Api.CHAT, "claude-sonnet-4-5@20250929", true)).endsWith(":streamRawPredict");
        assertThat(d.chat("claude-sonnet-4-5@20250929")).isSameAs(io.agentgateway.llm.anthropic.OpenAiToAnthropic.VERTEX);
        assertThat(d.chat("gemini-2.5-pro")).isSameAs(io.agentgateway.llm.gemini.OpenAiToGemini.INSTANCE);
        assertThat(ProviderDialect.of(google(ProviderType.VERTEX_AI, null, "p", "global"), ProviderDialect.Secrets.NONE, Clock.systemUTC())
                .defaultBaseUrl()).isEqualTo("https://aiplatform.googleapis.com/v1/projects/p/locations/global");
    }
}
