package io.agentgateway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ahead-of-time cache's training run ({@code run --aot-training}) on the training config the
 * launcher and the image build use: every call is answered as expected, through the real
 * listeners, the built-in mock provider, demo MCP server and demo agents; and a run whose calls
 * are refused fails, naming the call.
 */
class AotTrainingIT {
    private static final Path TRAINING = Path.of("src/main/aot/training.yaml");

    @Test
    void theTrainingConfigAnswersEveryTrainingCall() {
        Cli run = Cli.run("run", "--config", TRAINING.toString(), "--aot-training");
        assertEquals(0, run.exitCode(), run.err());
        // One audit event per governed call, in order: the chats (plain, streamed), the MCP session, the A2A call.
        String audit = run.out();
        int chat = audit.indexOf("\"action\":\"chat.completions\"");
        int tool = audit.indexOf("\"gen_ai.tool.name\":\"echo\"");
        int send = audit.indexOf("\"protocol\":\"a2a\"");
        assertTrue(chat >= 0 && tool > chat && send > tool, audit);
    }

    @Test
    void aRefusedCallFailsTheTrainingAndIsNamed(@TempDir Path dir) throws Exception {
        // The same config with another key for the demo caller: every governed call is a 401.
        String config = Files.readString(TRAINING).replace("c8ede621475fd3941568851c11df9c04633f61c457fc2b022d16c6bd02828883",
                "0000000000000000000000000000000000000000000000000000000000000000");
        Path file = Files.writeString(dir.resolve("training.yaml"), config);
        Cli run = Cli.run("run", "--config", file.toString(), "--aot-training");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("the ahead-of-time training failed: training call POST 127.0.0.1:"), run.err());
        assertTrue(run.err().contains("/v1/chat/completions answered 401, not 200"), run.err());
    }
}
