package io.agentgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.files.FileContentParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import io.agentgateway.testing.FakeOpenAi;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rest of OpenAI's API (completions, moderations, images, audio, files, batches) through the
 * gateway to an OpenAI-shaped upstream, driven by openai-java: forwarded as sent, governed as
 * {@code model:} resources and counted by the namespace's budgets.
 */
class OpenAiSurfaceIT {
    static FakeOpenAi upstream;
    static TestGateway gateway;
    static OpenAIClient client;
    static OpenAIClient restricted;

    @BeforeAll
    static void start() {
        upstream = FakeOpenAi.start();
        gateway = TestGateway.start(TestGateway.LLM_LISTENER + """
                llm:
                  providers:
                    - {name: openai, type: openai, api_key_secret: openai-credentials, base_url: %s}
                  models:
                    - {name: cheap, provider: openai, model: gpt-3.5-turbo-instruct}
                    - {name: whisper, provider: openai, model: whisper-1}
                """.formatted(upstream.baseUrl()) + TestGateway.TEAM_KEYS + """
                authorization:
                  default_action: deny
                  policies:
                    - {name: team-a-all, match: {kubernetes: {namespace: team-a}}, resources: ["model:*"], action: allow}
                    - {name: team-b-chat-only, match: {kubernetes: {namespace: team-b}}, resources: ["model:gpt-*"], action: allow}
                rate_limiting:
                  - name: team-b-requests
                    match: {kubernetes: {namespace: team-b}}
                    limit: 2
                    window: 1h
                    limit_by: requests
                  - name: team-a-tokens
                    match: {kubernetes: {namespace: team-a}}
                    limit: 1000000
                    window: 1h
                """, Map.of("OPENAI_CREDENTIALS", "sk-upstream", "TEAM_A_KEY", "key-a", "TEAM_B_KEY", "key-b"), Clock.systemUTC());
        client = gateway.openAi("key-a");
        restricted = gateway.openAi("key-b");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void completionsAreForwardedWithTheAliasResolvedAndTheirUsageCharged() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model("cheap").prompt("Say this is a test")
                .maxTokens(7).temperature(0.0).build());
        assertThat(c.choices().get(0).text()).isEqualTo("This is a test.");
        assertThat(c.usage().orElseThrow().totalTokens()).isEqualTo(9);
        FakeOpenAi.Received r = upstream.last();
        assertThat(r.path()).isEqualTo("/v1/completions");
        assertThat(r.body().path("model").asText()).isEqualTo("gpt-3.5-turbo-instruct");
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer sk-upstream");
    }

    @Test
    void streamedCompletionsArriveWithoutTheInjectedUsageChunk() {
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<Completion> s = client.completions().createStreaming(CompletionCreateParams.builder()
                .model("gpt-3.5-turbo-instruct").prompt("Say this is a test").build())) {
            s.stream().forEach(c -> {
                assertThat(c.choices()).isNotEmpty();
                pieces.add(c.choices().get(0).text());
            });
        }
        assertThat(String.join("", pieces)).isEqualTo("This is a test.");
        assertThat(upstream.last().body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void moderationsAndImagesPassThrough() {
        ModerationCreateResponse m = client.moderations().create(ModerationCreateParams.builder().input("hello").build());
        assertThat(m.results().get(0).flagged()).isFalse();
        assertThat(upstream.last().path()).isEqualTo("/v1/moderations");
        var images = client.images().generate(ImageGenerateParams.builder().prompt("a cat").model("dall-e-3").build());
        assertThat(images.data().orElseThrow().get(0).url()).contains("https://images.example/1.png");
        assertThat(upstream.last().body().path("model").asText()).isEqualTo("dall-e-3");
    }

    @Test
    void speechComesBackAsAudioBytes() throws Exception {
        try (HttpResponse audio = client.audio().speech().create(SpeechCreateParams.builder().model("tts-1").input("hi").voice("alloy").build())) {
            assertThat(audio.headers().values("content-type")).containsExactly("audio/mpeg");
            assertThat(audio.body().readAllBytes()).startsWith('I', 'D', '3');
        }
    }

    @Test
    void aTranscriptionsMultipartFormHasItsModelFoundAndAliasSpliced() {
        var t = client.audio().transcriptions().create(TranscriptionCreateParams.builder().model("whisper")
                .file("fake mp3 bytes".getBytes(StandardCharsets.UTF_8)).build());
        assertThat(t.asTranscription().text()).isEqualTo("transcribed by whisper-1");
        assertThat(upstream.last().headers().get("content-type")).startsWith("multipart/form-data; boundary=");
        assertThat(upstream.last().raw().toString(StandardCharsets.UTF_8)).contains("fake mp3 bytes");
    }

    @Test
    void filesAndBatchesAreForwardedAsResourceModelFilesAndModelBatches() throws Exception {
        FileObject f = client.files().create(FileCreateParams.builder().file("{\"custom_id\":\"1\"}\n".getBytes(StandardCharsets.UTF_8))
                .purpose(FilePurpose.BATCH).build());
        assertThat(f.id()).isEqualTo("file-abc123");
        assertThat(client.files().list().data()).extracting(FileObject::id).containsExactly("file-abc123");
        try (HttpResponse content = client.files().content(FileContentParams.builder().fileId("file-abc123").build())) {
            assertThat(new String(content.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"custom_id\":\"1\"}\n");
        }
        Batch b = client.batches().create(BatchCreateParams.builder().inputFileId("file-abc123")
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        assertThat(b.id()).isEqualTo("batch_abc123");
        assertThat(upstream.last().body().path("input_file_id").asText()).isEqualTo("file-abc123");
    }

    @Test
    void policiesAndBudgetsGovernTheseEndpointsLikeChat() {
        assertThatThrownBy(() -> restricted.files().list()).isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("model:files");
        assertThatThrownBy(() -> restricted.moderations().create(ModerationCreateParams.builder().input("x").build()))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("model:omni-moderation-latest");
        restricted.completions().create(CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct").prompt("a").build());
        restricted.completions().create(CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct").prompt("b").build());
        assertThatThrownBy(() -> restricted.completions().create(CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct")
                .prompt("c").build())).isInstanceOf(RateLimitException.class).hasMessageContaining("team-b-requests");
    }
}
