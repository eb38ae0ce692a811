package io.agentgateway.cli;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.runtime.RuntimePlan;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code agentgateway validate --config FILE} (or {@code validate FILE}): loads and plans a config
 * exactly as {@code run} would ({@link RuntimePlan}), without starting anything: no port, no MCP
 * server process, no mock provider, no secret read. Prints every error with its key path and
 * exits 1, or exits 0.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file; print every error with its key path.")
final class ValidateCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the config file")
    Path option;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the config file (the same as --config)")
    Path positional;

    @Spec
    CommandSpec spec;

    private Path file;

    @Override
    public Integer call() {
        if ((option == null) == (positional == null)) {
            throw new ParameterException(spec.commandLine(), option == null
                    ? "Missing the config file: validate --config FILE"
                    : "Give the config file once: --config " + option + " or " + positional);
        }
        file = option != null ? option : positional;
        GatewayConfig config;
        try {
            config = ConfigLoader.fromEnvironment().load(file);
        } catch (ConfigException e) {
            return report(e);
        }
        // Plan only: nothing is started, read beyond the files the config names, or left behind.
        Vertx vertx = Vertx.vertx();
        try {
            RuntimePlan.plan(config, file.toAbsolutePath().getParent(), RuntimePlan.Context.standalone(vertx, System::getenv));
        } catch (ConfigException e) {
            return report(e);
        } finally {
            vertx.close().await();
        }
        System.out.println(file + ": valid (" + config.listeners().size() + " listener(s), "
                + config.llm().providers().size() + " provider(s), " + config.authorization().policies().size()
                + " policy(ies), " + config.rateLimiting().size() + " rate limit rule(s))");
        return 0;
    }

    private int report(ConfigException e) {
        System.err.println(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError error : e.errors()) {
            System.err.println("  " + error);
        }
        return 1;
    }
}
