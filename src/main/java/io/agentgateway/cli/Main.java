package io.agentgateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code agentgateway} command: {@code run}, {@code validate}, {@code check}, {@code audit verify}. Exit codes: 0 success, 1 invalid input or failure, 2 usage error
 * ({@code check} exits 3 for a deny).
 */
@Command(name = "agentgateway", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Governs what AI agents on Kubernetes send out: LLM, MCP and A2A calls.")
public final class Main {
    /** The subcommands, in the order the usage help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /**
     * The command line for {@code args}: with only the subcommand it names when it names one, else
     * with all (usage help, a mistyped name). Picocli reflects over every command it is given, in
     * classes the JVM's ahead-of-time cache cannot hold (they are compiled for Java 5), so each
     * command it need not build is start time saved (about 50 ms of CPU for the three a {@code run}
     * never uses).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            cli.addSubcommand(args[0], named.get());
        } else {
            COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        return cli;
    }
}
