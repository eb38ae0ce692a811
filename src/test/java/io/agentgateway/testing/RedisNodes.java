package io.agentgateway.testing;

import io.vertx.core.Vertx;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Redis processes for one test class: servers, sentinels ({@code redis-server --sentinel})
 * and cluster nodes, each on a free loopback port with its own folder, and {@code redis-cli} as
 * the test's independent view of them. Every process is ended by {@link #close} (and by a JVM
 * shutdown hook should the run be cut short). Missing binaries fail the test with how to install
 * them (CI installs them the same way); they are never skipped.
 */
public final class RedisNodes implements AutoCloseable {
    private final Path dir;
    private final List<Node> nodes = Collections.synchronizedList(new ArrayList<>());
    private final Thread hook = new Thread(this::killAll, "redis-nodes-cleanup");
    private final String password;
    private final List<String> cliTls = new ArrayList<>();
    private Vertx vertx;

    /** One running process. */
    public final class Node {
        private final String name;
        private final int port;
        private final Path home;
        private final List<String> args;
        private Process process;

        private Node(String name, int port, Path home, List<String> args) {
            this.name = name;
            this.port = port;
            this.home = home;
            this.args = args;
        }

        public int port() {
            return port;
        }

        public String name() {
            return name;
        }

        /** {@code redis-cli} against this node; its output, trimmed. */
        public String cli(String... command) {
            return RedisNodes.this.cli(port, command);
        }

        /** SIGTERM, as Kubernetes stops a pod, and waits until the process is gone. */
        public void stop() {
            Process p = process;
            if (p == null) {
                return;
            }
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        /** Starts (again) with the same arguments and waits until it answers. */
        public Node start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(binary("redis-server"));
            cmd.addAll(args);
            try {
                process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("out.log").toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("could not run redis-server: " + e.getMessage(), e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!cliQuiet(port, "PING").equals("PONG")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not come up on port " + port + "; see " + home);
                }
                sleep(50);
            }
            return this;
        }

        private void kill() {
            Process p = process;
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * @param password the password every node requires ({@code requirepass}, also for
     *                 sentinels), or null
     */
    public RedisNodes(String password) {
        this.password = password;
        try {
            this.dir = Files.createTempDirectory("redis-nodes");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Makes {@code redis-cli} speak TLS with these files (for nodes started with {@code --tls-port}). */
    public RedisNodes cliTls(Path ca, Path cert, Path key) {
        cliTls.addAll(List.of("--tls", "--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString()));
        return this;
    }

    public Path dir() {
        return dir;
    }

    /** A Vert.x instance for the clients of these nodes, closed (before the nodes) by {@link #close}. */
    public synchronized Vertx vertx() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    /** A free loopback port (closed again, so the process about to start can take it). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code redis-server} with the given extra arguments (port, bind, folder and password are set here). */
    public Node server(String name, String... extra) {
        return start(name, false, List.of(extra));
    }

    private Node start(String name, boolean tls, List<String> extra) {
        int port = freePort();
        Path home = home(name);
        List<String> args = new ArrayList<>(List.of("--port", tls ? "0" : Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", home.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--logfile", home.resolve("redis.log").toString()));
        if (tls) {
            args.addAll(List.of("--tls-port", Integer.toString(port)));
        }
        if (password != null) {
            args.addAll(List.of("--requirepass", password, "--masterauth", password));
        }
        args.addAll(extra);
        return add(new Node(name, port, home, args)).start();
    }

    /**
     * Starts {@code redis-server} answering only TLS on its port, with this server certificate and
     * key, asking clients for a certificate signed by {@code ca}. Set {@link #cliTls} first.
     */
    public Node tlsServer(String name, Path ca, Path cert, Path key, String... extra) {
        List<String> args = new ArrayList<>(List.of("--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "yes"));
        args.addAll(List.of(extra));
        return start(name, true, args);
    }

    /** Starts {@code redis-server CONF --sentinel} monitoring {@code master} as {@code masterName}, quorum 2. */
    public Node sentinel(String name, String masterName, Node master) {
        int port = freePort();
        Path home = home(name);
        StringBuilder conf = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append("bind 127.0.0.1\n")
                .append("dir ").append(home).append('\n')
                .append("logfile ").append(home.resolve("sentinel.log")).append('\n')
                .append("sentinel monitor ").append(masterName).append(" 127.0.0.1 ").append(master.port()).append(" 2\n")
                .append("sentinel down-after-milliseconds ").append(masterName).append(" 1000\n")
                .append("sentinel failover-timeout ").append(masterName).append(" 10000\n");
        if (password != null) {
            conf.append("requirepass ").append(password).append('\n')
                    .append("sentinel auth-pass ").append(masterName).append(' ').append(password).append('\n')
                    .append("sentinel sentinel-pass ").append(password).append('\n');
        }
        Path file = home.resolve("sentinel.conf");
        try {
            Files.writeString(file, conf);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return add(new Node(name, port, home, List.of(file.toString(), "--sentinel"))).start();
    }

    private Node add(Node n) {
        nodes.add(n);
        return n;
    }

    private Path home(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code redis-cli -p PORT COMMAND...} (the password goes in the environment, not the command line); output trimmed. */
    public String cli(int port, String... command) {
        List<String> cmd = new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(cliTls);
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (password != null) {
            pb.environment().put("REDISCLI_AUTH", password);
        }
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli " + String.join(" ", command) + " did not finish");
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("could not run redis-cli: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String cliQuiet(int port, String... command) {
        try {
            return cli(port, command);
        } catch (IllegalStateException e) {
            return "";
        }
    }

    /** The env a gateway needs to read the nodes' password as the secret {@code redis-auth}. */
    public Map<String, String> passwordEnv() {
        return password == null ? Map.of() : Map.of("REDIS_AUTH", password);
    }

    /** The path of {@code name} on PATH; fails the test, saying how to install it, when missing. */
    static String binary(String name) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not on PATH; these tests need a real Redis. Install it with "
                + "`apt-get update && apt-get install -y redis-server redis-tools` (CI installs it the same way)");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void killAll() {
        synchronized (nodes) {
            nodes.forEach(Node::kill);
        }
    }

    /** Closes the Vert.x instance, then stops every process (SIGTERM, then SIGKILL for any that lingers). */
    @Override
    public void close() {
        synchronized (this) {
            if (vertx != null) {
                try {
                    vertx.close().await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the processes must still be stopped
                }
                vertx = null;
            }
        }
        List<Node> all;
        synchronized (nodes) {
            all = new ArrayList<>(nodes);
        }
        for (Node n : all) {
            Process p = n.process;
            if (p != null) {
                p.destroy();
            }
        }
        for (Node n : all) {
            Process p = n.process;
            if (p != null) {
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
        deleteFolder();
    }

    /** The nodes' folders (configs, logs, cluster state) go with them. */
    private void deleteFolder() {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is not worth failing a test over
        }
    }
}
