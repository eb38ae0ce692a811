package io.agentgateway.mcp;

import io.agentgateway.config.McpServerConfig;
import io.agentgateway.config.Secret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An MCP server run as a child process (the stdio transport): newline-delimited JSON-RPC on its
 * stdin and stdout, its stderr logged line by line. All process I/O happens on three platform (daemon)
 * threads of its own (reader, writer, stderr), never on an event loop: blocking pipe reads would pin
 * virtual threads to their carriers. The process does not
 * inherit the gateway's environment (which holds the gateway's own secrets): it gets
 * {@code PATH}, {@code HOME}, {@code LANG}, {@code TMPDIR} and the configured {@code env}.
 *
 * <p>Thread-safe.
 */
final class StdioTransport implements ChannelTransport {
    private static final Logger log = LoggerFactory.getLogger(StdioTransport.class);
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");
    private static final Buffer STOP = Buffer.buffer();

    private final Vertx vertx;
    private final String name;
    private final List<String> command;
    private final Map<String, Secret> env;
    private final Path workingDir;
    private final Function<String, String> gatewayEnv;
    private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
    private volatile Process process;
    private volatile boolean closing;

    private record Outgoing(Buffer bytes, Promise<Void> written) {
    }

    StdioTransport(Vertx vertx, McpServerConfig config, Path workingDir, Function<String, String> gatewayEnv) {
        this.vertx = vertx;
        this.name = config.name();
        this.command = config.command();
        this.env = config.env();
        this.workingDir = workingDir;
        this.gatewayEnv = gatewayEnv;
    }

    @Override
    public Future<Void> start(Consumer<Buffer> inbound, Consumer<String> closed) {
        return vertx.executeBlocking(() -> {
            ProcessBuilder pb = new ProcessBuilder(ChildProcess.command(command));
            Map<String, String> environment = pb.environment();
            environment.clear();
            for (String k : INHERITED) {
                String v = gatewayEnv.apply(k);
                if (v != null) {
                    environment.put(k, v);
                }
            }
            env.forEach((k, v) -> environment.put(k, v.reveal()));
            if (workingDir != null) {
                pb.directory(workingDir.toFile());
            }
            try {
                process = ChildProcess.start(pb);
            } catch (IOException e) {
                // The message names the program and the OS error, never an environment value.
                throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage());
            }
            Process p = process;
            if (closing) {
                // close() ran while the process was starting and found none to stop: stop it here,
                // or it would outlive the gateway (both fields are volatile, so one side sees the other).
                p.destroyForcibly();
                throw new IllegalStateException("MCP server " + name + " was stopped while starting");
            }
            log.info("MCP server {} started (pid {})", name, p.pid());
            Thread.ofPlatform().daemon().name("mcp-" + name + "-stderr").start(() -> logStderr(p));
            Thread.ofPlatform().daemon().name("mcp-" + name + "-stdin").start(() -> write(p));
            Thread.ofPlatform().daemon().name("mcp-" + name + "-stdout").start(() -> read(p, inbound, closed));
            return null;
        }, false);
    }

    private void read(Process p, Consumer<Buffer> inbound, Consumer<String> closed) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 64 * 1024)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    inbound.accept(Buffer.buffer(line));
                }
            }
        } catch (IOException e) {
            log.debug("MCP server {} stdout: {}", name, e.toString());
        }
        String reason;
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            reason = closing ? "stopped" : "exited with code " + p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "stopped";
        }
        queue.add(new Outgoing(STOP, null));
        closed.accept(reason);
    }

    private void write(Process p) {
        OutputStream out = p.getOutputStream();
        try {
            while (true) {
                Outgoing o = queue.take();
                if (o.bytes() == STOP) {
                    break;
                }
                try {
                    out.write(o.bytes().getBytes());
                    out.write('\n');
                    out.flush();
                    o.written().tryComplete();
                } catch (IOException e) {
                    o.written().tryFail("MCP server " + name + " is not reading its input: " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Outgoing o; (o = queue.poll()) != null; ) {
            if (o.written() != null) {
                o.written().tryFail("MCP server " + name + " exited");
            }
        }
        try {
            out.close();
        } catch (IOException e) {
            // the process is gone
        }
    }

    private void logStderr(Process p) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                log.info("[mcp {}] {}", name, line.length() > 4000 ? line.substring(0, 4000) + "..." : line);
            }
        } catch (IOException e) {
            log.debug("MCP server {} stderr: {}", name, e.toString());
        }
    }

    @Override
    public Future<Void> send(Buffer message) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return Future.failedFuture("MCP server " + name + " is not running");
        }
        Promise<Void> written = Promise.promise();
        queue.add(new Outgoing(message, written));
        return written.future();
    }

    @Override
    public void close() {
        closing = true;
        Process p = process;
        if (p == null) {
            return;
        }
        // Closing stdin is the polite stop (the spec's shutdown); then SIGTERM, then SIGKILL.
        queue.add(new Outgoing(STOP, null));
        Thread.ofPlatform().daemon().name("mcp-" + name + "-stop").start(() -> stop(p, 2000, 3000));
    }

    @Override
    public void awaitClosed(long millis) {
        Process p = process;
        if (p != null) {
            stop(p, millis / 2, millis / 2);
        }
    }

    private static void stop(Process p, long politeMillis, long termMillis) {
        try {
            if (!p.waitFor(politeMillis, TimeUnit.MILLISECONDS)) {
                p.destroy();
                if (!p.waitFor(termMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
