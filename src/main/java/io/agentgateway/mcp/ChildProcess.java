package io.agentgateway.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Starts the gateway's child processes (stdio MCP servers) so that none outlives the gateway,
 * however the gateway ends. A stopped gateway stops them itself; for a gateway that is killed
 * (SIGKILL, the OOM killer) or exits before it could, the child runs under util-linux
 * {@code setpriv --pdeathsig KILL}, which asks the kernel to kill it when its parent goes.
 *
 * <p>The kernel ties that signal to the <em>thread</em> that started the child, not the process, so
 * every child is started from one thread kept for the life of the JVM. Where {@code setpriv} is
 * not installed (not Linux, a minimal image) the command runs as given and only the gateway's own
 * stop applies; a server that exits at the end of its stdin (as MCP asks) still ends with it.
 *
 * <p>Thread-safe.
 */
final class ChildProcess {
    private static final String SETPRIV = Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("child-process-spawner").unstarted(r));

    private ChildProcess() {
    }

    /** {@code command} as it is run: behind {@code setpriv} when that is available. */
    static List<String> command(List<String> command) {
        if (SETPRIV == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
        out.addAll(command);
        return out;
    }

    /** Starts {@code pb} (whose command came from {@link #command}); blocks until it has started. */
    static Process start(ProcessBuilder pb) throws IOException {
        try {
            return SPAWNER.submit(pb::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a child process");
        }
    }
}
