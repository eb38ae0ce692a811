package io.agentgateway.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-level command: builds only the subcommand a command line names, and all of them otherwise. */
class MainTest {
    @Test
    void aCommandLineNamingASubcommandGetsOnlyThatOne() {
        assertEquals(List.of("run"), List.copyOf(Main.commandLine("run", "--config", "gateway.yaml").getSubcommands().keySet()));
        assertEquals(List.of("audit"), List.copyOf(Main.commandLine("audit", "verify", "a.jsonl").getSubcommands().keySet()));
    }

    @Test
    void helpAndUnknownNamesGetEverySubcommandInOrder() {
        List<String> all = List.of("run", "validate", "check", "audit");
        assertEquals(all, List.copyOf(Main.commandLine("--help").getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine().getSubcommands().keySet()));
        assertEquals(all, List.copyOf(Main.commandLine("rnu").getSubcommands().keySet()));
    }

    @Test
    void usageListsEverySubcommandAndAMistypedOneIsAUsageError() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        for (String command : List.of("run", "validate", "check", "audit")) {
            assertTrue(help.out().contains("  " + command + " "), help.out());
        }
        Cli typo = Cli.run("rnu", "--config", "x.yaml");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("rnu"), typo.err());
    }
}
