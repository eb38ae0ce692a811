package io.agentgateway.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code agentgateway validate FILE}: exit 0 for a good file; every error with its path and exit 1 for a bad one. */
class ValidateCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void theShippedExamplesAreValid() {
        assertThat(Main.execute("validate", "examples/quickstart.yaml")).as(err.toString()).isZero();
        assertThat(Main.execute("validate", "examples/seed.yaml")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("examples/seed.yaml: valid");
    }

    @Test
    void takesTheFileWithConfigLikeRunAndCheck() {
        assertThat(Main.execute("validate", "--config", "examples/seed.yaml")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("examples/seed.yaml: valid");
        assertThat(Main.execute("validate", "-c", "examples/quickstart.yaml")).as(err.toString()).isZero();
    }

    @Test
    void noFileOrTwoFilesIsAUsageError() {
        assertThat(Main.execute("validate")).isEqualTo(2);
        assertThat(err.toString()).contains("validate --config FILE");
        assertThat(Main.execute("validate", "--config", "examples/seed.yaml", "examples/quickstart.yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("Give the config file once");
    }

    @Test
    void versionIsTheProjectVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.replaceFirst("(?s).*?</parent>|", "").replaceFirst("(?s).*?<artifactId>agentgateway</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        assertThat(Main.execute("--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("agentgateway " + version);
    }

    @Test
    void everyErrorIsPrintedWithItsPathAndTheBadValue() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                listeners:
                  - {name: llm, port: 8080, protocol: HTTP}
                rate_limiting:
                  - {name: ok, limit: 10, window: 1h}
                  - {name: dev-team-budget, limit: 1000000, window: 24hours, limit_by: tokens}
                llm:
                  providers:
                    - {name: openai, type: open_ai}
                  modles: []
                """);
        assertThat(Main.execute("validate", bad.toString())).isEqualTo(1);
        String printed = err.toString();
        assertThat(printed).contains("rate_limiting[1].window: \"24hours\" is not a duration");
        assertThat(printed).contains("llm.providers[0].type: \"open_ai\" is not one of");
        assertThat(printed).contains("llm.modles: unknown key (did you mean models?)");
    }

    @Test
    void aConfigThatOnlyFailsToCompileIsAlsoReported() throws Exception {
        Path bad = dir.resolve("bedrock.yaml");
        Files.writeString(bad, """
                listeners: [{name: llm, port: 8080, protocol: HTTP}]
                llm:
                  providers: [{name: b, type: bedrock, base_url: "https://bedrock.example.com"}]
                """);
        assertThat(Main.execute("validate", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("llm.providers[0].type");
    }

    @Test
    void validatingAConfigWithAStdioMcpServerAndTheMockProviderStartsNoProcess() throws Exception {
        Path marker = dir.resolve("started");
        Path config = dir.resolve("mcp.yaml");
        Files.writeString(config, """
                listeners:
                  - {name: mcp, port: 0, protocol: MCP}
                  - {name: llm, port: 0, protocol: HTTP}
                llm:
                  providers: [{name: mock, type: mock, models: ["*"]}]
                mcp:
                  servers:
                    - {name: local, transport: stdio, command: ["sh", "-c", "echo $$ > '%s'; exec cat"]}
                """.formatted(marker));
        assertThat(Main.execute("validate", config.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("mcp.yaml: valid");

        // A process is started on a worker thread, so a leak would show a moment after validate
        // returned: watch for it for a while (a settle window, not a measurement of speed).
        long until = System.nanoTime() + java.time.Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertThat(marker).doesNotExist();
            assertThat(ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains(marker.toString()))).isEmpty();
            Thread.sleep(100);
        }
    }

    @Test
    void aMissingFileIsAnError() {
        assertThat(Main.execute("validate", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("does not exist");
    }
}
