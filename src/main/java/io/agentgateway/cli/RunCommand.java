package io.agentgateway.cli;

import io.agentgateway.config.ConfigError;
import io.agentgateway.console.Console;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.ConfigWatcher;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.llm.TokenCounter;
import io.agentgateway.runtime.Gateway;
import io.agentgateway.runtime.GatewayServices;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.BindException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentgateway run --config FILE}: starts every listener, watches the file for changes,
 * and on SIGTERM drains in-flight requests for {@code shutdown.grace_period} before exiting.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the gateway.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path file;

    @Option(names = "--exit-when-ready", description = "start every listener, then stop at once and exit 0 "
            + "(a start-up check, and the training run that records the JVM's ahead-of-time cache)")
    boolean exitWhenReady;

    @Option(names = "--aot-training", description = "as --exit-when-ready, after sending one call of each kind through the "
            + "listeners (the training run of the JVM's ahead-of-time cache, on src/main/aot/training.yaml: its mock "
            + "provider, demo MCP server and demo agents answer; a call not answered as expected exits 1)")
    boolean aotTraining;

    /**
     * The command of a plain {@code run} command line ({@code run}, then {@code -c FILE},
     * {@code --config FILE} or {@code --config=FILE} once, and each flag at most once), set as
     * picocli would set it; null for any other command line, which picocli then parses (help,
     * usage errors, argument files, other spellings). Picocli's classes are compiled for Java 5, so
     * the JVM's ahead-of-time cache cannot hold them: loading and verifying them, and reflecting
     * over the command, was most of what a start did before it read the config.
     */
    static RunCommand plain(String... args) {
        if (args.length < 2 || !"run".equals(args[0])) {
            return null;
        }
        RunCommand run = new RunCommand();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            if (arg.equals("-c") || arg.equals("--config")) {
                value = ++i < args.length ? args[i] : null;
            } else if (arg.startsWith("--config=")) {
                value = arg.substring("--config=".length());
            } else if (arg.equals("--exit-when-ready") && !run.exitWhenReady) {
                run.exitWhenReady = true;
                continue;
            } else if (arg.equals("--aot-training") && !run.aotTraining) {
                run.aotTraining = true;
                continue;
            } else {
                return null;
            }
            // Picocli reads "@FILE" as an argument file and "-..." as an option: its call, as is a second config.
            if (value == null || value.isEmpty() || value.startsWith("@") || value.startsWith("-") || run.file != null) {
                return null;
            }
            try {
                run.file = Path.of(value);
            } catch (InvalidPathException e) {
                return null;
            }
        }
        return run.file == null ? null : run;
    }

    @Override
    public Integer call() throws Exception {
        // Vert.x and the process's services (metrics, budgets, audit, JCA) start on a thread of their
        // own while this one loads the config: neither needs the other, and each is a good part of a
        // start that would otherwise use one core of two.
        CompletableFuture<GatewayServices> starting = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                starting.complete(new GatewayServices(Vertx.vertx(Gateway.vertxOptions()), Clock.systemUTC(), System::getenv));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        }, "agentgateway-start");
        starter.start();
        ConfigLoader loader = ConfigLoader.fromEnvironment();
        GatewayConfig config;
        try {
            config = loader.load(file);
        } catch (ConfigException e) {
            System.err.println(file + ": " + e.errors().size() + " error(s); not starting");
            for (ConfigError error : e.errors()) {
                System.err.println("  " + error);
            }
            closeWhenStarted(starting);
            return 1;
        } catch (RuntimeException e) {
            closeWhenStarted(starting);
            throw e;
        }
        GatewayServices services = starting.join();
        Vertx vertx = services.vertx();
        Path baseDir = file.toAbsolutePath().getParent();
        // Until the drain below is in place, a SIGTERM (or any exit) still stops what starting has
        // begun, MCP server processes first: they must not outlive a gateway that never came up.
        Thread closeServices = new Thread(services::close, "agentgateway-stop-while-starting");
        Runtime.getRuntime().addShutdownHook(closeServices);
        Gateway gateway;
        try {
            gateway = Gateway.start(services, config, baseDir, Console::create).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            boolean ours = dropHook(closeServices);
            Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            if (cause instanceof ConfigException ce) {
                System.err.println(file + ": " + ce.errors().size() + " error(s); not starting");
                ce.errors().forEach(err -> System.err.println("  " + err));
            } else if (cause instanceof BindException) {
                log.error("could not start: {}", cause.getMessage());
            } else {
                log.error("could not start: {}", cause.getMessage(), cause);
            }
            if (ours) {
                services.close();
                vertx.close();
            }
            return 1;
        }
        // The tokenizer's encodings (a second and more of CPU) load once the gateway is ready, not
        // beside the start they would slow down; the LLM listener holds what needs them until then.
        TokenCounter.preload();
        if (exitWhenReady || aotTraining) {
            // The training run of the ahead-of-time cache records the loading too.
            TokenCounter.awaitLoaded();
            int code = 0;
            if (aotTraining) {
                try {
                    AotTraining.run(vertx, gateway).await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.error("the ahead-of-time training failed: {}", e.getMessage() != null ? e.getMessage() : e.toString());
                    code = 1;
                }
            }
            dropHook(closeServices);
            gateway.stop(Duration.ZERO).await(10, TimeUnit.SECONDS);
            services.close();
            vertx.close().await(5, TimeUnit.SECONDS);
            return code;
        }
        ConfigWatcher watcher = new ConfigWatcher(vertx, file, loader, fresh -> gateway.reload(fresh)
                .onFailure(e -> {
                    if (e instanceof ConfigException ce) {
                        log.error("config reload refused; keeping the running config:\n  {}",
                                String.join("\n  ", ce.errors().stream().map(ConfigError::toString).toList()));
                    } else {
                        log.error("config reload failed; keeping the running config: {}", e.toString());
                    }
                }), gateway::refused);
        watcher.start(1000);

        if (!dropHook(closeServices)) {
            return 1; // already exiting: the hook stops everything
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable drainAndStop = () -> {
            watcher.stop();
            var grace = gateway.runtime().config().shutdown().gracePeriod();
            try {
                gateway.stop(grace).await(grace.toMillis() + 5000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("shutdown did not finish cleanly: {}", e.toString());
            }
            services.close();
            try {
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // exiting anyway
            }
            stopped.countDown();
        };
        // SIGTERM and SIGINT run the shutdown hooks: drain, then exit 0 as a pod being replaced should
        // (the JVM would report 143 or 130 for the signal).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drainAndStop.run();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "agentgateway-shutdown"));
        stopped.await();
        return 0;
    }

    /** Stops what the start thread started, once it has (the config did not load). */
    private static void closeWhenStarted(CompletableFuture<GatewayServices> starting) {
        try {
            GatewayServices services = starting.join();
            services.close();
            services.vertx().close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // not starting anyway
        }
    }

    /** False when the JVM is already shutting down (the hook then runs, or has run). */
    private static boolean dropHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
