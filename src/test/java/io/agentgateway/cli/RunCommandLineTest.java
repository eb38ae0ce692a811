package io.agentgateway.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A plain {@code run} command line is read without picocli, to the same command picocli makes of
 * it; every other command line is left to picocli.
 */
class RunCommandLineTest {
    @Test
    void plainRunCommandLinesGiveWhatPicocliGives() {
        List<List<String>> lines = List.of(
                List.of("run", "--config", "gateway.yaml"),
                List.of("run", "-c", "gateway.yaml"),
                List.of("run", "--config=gateway.yaml"),
                List.of("run", "--config", "dir with spaces/gateway.yaml"),
                List.of("run", "--config", "/etc/agentgateway/gateway.yaml", "--exit-when-ready"),
                List.of("run", "--exit-when-ready", "-c", "gateway.yaml"),
                List.of("run", "--config", "src/main/aot/training.yaml", "--aot-training"),
                List.of("run", "--aot-training", "--exit-when-ready", "--config=x.yaml"));
        for (List<String> line : lines) {
            String[] args = line.toArray(String[]::new);
            RunCommand plain = RunCommand.plain(args);
            assertNotNull(plain, line.toString());
            RunCommand picocli = new RunCommand();
            new CommandLine(picocli).parseArgs(line.subList(1, line.size()).toArray(String[]::new));
            assertEquals(picocli.file, plain.file, line.toString());
            assertEquals(picocli.exitWhenReady, plain.exitWhenReady, line.toString());
            assertEquals(picocli.aotTraining, plain.aotTraining, line.toString());
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        List<List<String>> lines = List.of(
                List.of(),
                List.of("run"),
                List.of("run", "--help"),
                List.of("run", "-h"),
                List.of("run", "--version"),
                List.of("run", "--config"),
                List.of("run", "-c"),
                List.of("run", "--config="),
                List.of("run", "--config", "a.yaml", "--config", "b.yaml"),
                List.of("run", "--config", "a.yaml", "--exit-when-ready", "--exit-when-ready"),
                List.of("run", "--config", "@args.txt"),
                List.of("run", "@args.txt"),
                List.of("run", "--config", "-x"),
                List.of("run", "--config", "a.yaml", "extra"),
                List.of("run", "--config", "a.yaml", "--"),
                List.of("run", "-ca.yaml"),
                List.of("run", "--exit-when-ready"),
                List.of("run", "--config", "a\0.yaml"),
                List.of("validate", "--config", "a.yaml"),
                List.of("RUN", "--config", "a.yaml"));
        for (List<String> line : lines) {
            assertNull(RunCommand.plain(line.toArray(String[]::new)), line.toString());
        }
    }

    @Test
    void aPlainRunOfAMissingFileFailsAsThroughPicocli() {
        Cli plain = Cli.run("run", "--config", "does-not-exist.yaml");
        assertEquals(1, plain.exitCode());
        assertEquals("does-not-exist.yaml: 1 error(s); not starting\n  config file does-not-exist.yaml does not exist",
                plain.err().strip());
    }
}
