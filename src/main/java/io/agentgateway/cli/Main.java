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
    private static final String NATIVE_ACCESSORS = "jdk.reflect.useNativeAccessorOnly";
    /** The subcommands, in the order the usage help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", RunCommand::new);
        COMMANDS.put("validate", ValidateCommand::new);
        COMMANDS.put("check", CheckCommand::new);
        COMMANDS.put("audit", AuditCommand::new);
    }

    public static void main(String[] args) {
        // Core reflection's default accessors spin a method-handle class per constructor shape on
        // first use, outside the ahead-of-time cache: binding the config (records built by
        // reflection, once each) spun about a hundred and was the largest part of a start's CPU.
        // The JDK's native accessors (JEP 416's documented fallback) build none; no request path
        // calls through reflection, so nothing hot pays for their slower calls. Set before any
        // reflective call, as the JDK reads it once; -Djdk.reflect.useNativeAccessorOnly=false wins.
        if (System.getProperty(NATIVE_ACCESSORS) == null) {
            System.setProperty(NATIVE_ACCESSORS, "true");
        }
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (for tests: no System.exit). */
    public static int execute(String... args) {
        RunCommand run = RunCommand.plain(args);
        if (run == null) {
            return commandLine(args).execute(args);
        }
        // What picocli does with an exception from a command: its stack trace on stderr, exit code 1.
        try {
            return run.call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
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
