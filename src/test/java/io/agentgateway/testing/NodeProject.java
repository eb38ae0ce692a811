package io.agentgateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Node.js project of the test sources ({@code src/test/node/NAME}: a {@code package.json} with
 * exact versions and its scripts), installed from the npm registry into
 * {@code target/node/NAME} on first use (again only when its {@code package.json} changes), so
 * tests can run real clients and servers written with JavaScript SDKs. Needs {@code node} and
 * {@code npm} on the PATH (.ci/run makes sure of both). Every wait is bounded.
 */
public final class NodeProject {
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(4);

    private final Path dir;

    private NodeProject(Path dir) {
        this.dir = dir;
    }

    /** Installs (if needed) and returns the project {@code src/test/node/NAME}. */
    public static synchronized NodeProject install(String name) {
        Path source = Path.of("src", "test", "node", name).toAbsolutePath();
        Path dir = Path.of("target", "node", name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
            String manifest = Files.readString(source.resolve("package.json"));
            Path installed = dir.resolve("package.json");
            boolean fresh = Files.isReadable(installed) && Files.readString(installed).equals(manifest)
                    && Files.isDirectory(dir.resolve("node_modules"));
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!fresh) {
                Files.deleteIfExists(dir.resolve("package-lock.json"));
                Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                        .directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("npm-install.log").toFile()).start();
                if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm install in " + dir + " took longer than " + INSTALL_TIMEOUT);
                }
                if (npm.exitValue() != 0) {
                    throw new IllegalStateException("npm install in " + dir + " failed:\n"
                            + Files.readString(dir.resolve("npm-install.log")));
                }
            }
            return new NodeProject(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Node.js project " + name + " (are node and npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code node SCRIPT}; its output is read line by line. */
    public Running start(String script, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder("node", script).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            return new Running(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + script, e);
        }
    }

    /** A running script: its output lines, bounded waits, and {@link #close()} to stop it. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private Running(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "node-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line (from now on) starting with {@code prefix}; fails after {@code timeout}. */
        public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = end - System.nanoTime();
                String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new IllegalStateException("no line starting with \"" + prefix + "\" within " + timeout
                            + "; output so far:\n" + output());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /** Waits for the script to end; its exit code. Fails (and stops it) after {@code timeout}. */
        public int await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException("node did not finish within " + timeout + "; output so far:\n" + output());
            }
            reader.join(5000);
            return process.exitValue();
        }

        /** The last line of output, or null. */
        public String lastLine() {
            synchronized (all) {
                return all.isEmpty() ? null : all.get(all.size() - 1);
            }
        }

        public String output() {
            synchronized (all) {
                return String.join("\n", all);
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
