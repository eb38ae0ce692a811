package io.agentgateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code agentgateway} command: {@code run}, {@code validate}, {@code check}, {@code audit verify}. Exit codes: 0 success, 1 invalid input or failure, 2 usage error
 * ({@code check} exits 3 for a deny).
 */
@Command(name = "agentgateway", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Governs what AI agents on Kubernetes send out: LLM, MCP and A2A calls.",
        subcommands = {RunCommand.class, ValidateCommand.class, CheckCommand.class, AuditCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
