package io.agentgateway.cli;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.runtime.RuntimePlan;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code agentgateway validate FILE}: loads and plans a config exactly as {@code run} would
 * ({@link RuntimePlan}), without starting anything: no port, no MCP server process, no mock
 * provider, no secret read. Prints every error with its key path and exits 1, or exits 0.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file; print every error with its key path.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the config file")
    Path file;

    @Override
    public Integer call() {
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
