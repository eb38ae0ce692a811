package io.agentgateway.cli;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.runtime.GatewayRuntime;
import io.agentgateway.runtime.GatewayServices;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code agentgateway validate FILE}: loads and compiles a config exactly as {@code run} would,
 * without binding a port. Prints every error with its key path and exits 1, or exits 0.
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
        Vertx vertx = Vertx.vertx();
        try (GatewayServices services = new GatewayServices(vertx, Clock.systemUTC(), System::getenv)) {
            boolean mock = config.llm().providers().stream().anyMatch(p -> p.type().name().equals("MOCK"));
            if (mock) {
                services.mockProviderUrl().await();
            }
            GatewayRuntime.compile(config, file.toAbsolutePath().getParent(), services);
        } catch (ConfigException e) {
            return report(e);
        } finally {
            vertx.close();
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
