package io.agentgateway.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the binary on PATH) started for a test on a free loopback port,
 * with an append-only file in a temporary folder so that {@link #stop} and {@link #start} behave
 * like a Redis restart that keeps its data. Missing binary: the test fails and says how to install
 * it (CI installs it the same way); it is never skipped. Close it after the test.
 */
public final class RedisServer implements AutoCloseable {
    private final Path binary;
    private final Path dir;
    private final int port;
    private final String password;
    private final Vertx vertx = Vertx.vertx();
    private Process process;
    private Redis client;

    private RedisServer(Path binary, Path dir, int port, String password) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** Starts redis-server; with a non-null password it requires it ({@code requirepass}). */
    public static RedisServer start(String password) {
        Path binary = find();
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            RedisServer server = new RedisServer(binary, Files.createTempDirectory("redis-it"), port, password);
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server: " + e.getMessage(), e);
        }
    }

    private static Path find() {
        return Path.of(RedisNodes.binary("redis-server"));
    }

    /** (Re)starts the server on its port, with the data it had when stopped. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "yes",
                "--appendfsync", "always", "--daemonize", "no", "--logfile", dir.resolve("redis.log").toString()));
        if (password != null) {
            cmd.add("--requirepass");
            cmd.add(password);
        }
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + binary + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not come up on port " + port + "; see " + dir);
            }
            sleep(50);
        }
    }

    /** Shuts the server down the way Kubernetes would (SIGTERM) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing is answered, as in a network stall. */
    public synchronized void pause() {
        signal("-STOP");
    }

    /** Lets a paused server run again (SIGCONT); it then answers what it was sent meanwhile. */
    public synchronized void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (process == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill " + signal + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            if (password != null) {
                out.write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("PONG")) {
                int n = in.read(buf);
                if (n < 0) {
                    return false;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                if (seen.indexOf("-") == 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT} (no credentials: the gateway gets the password from its secret). */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs one command with the real Vert.x Redis client, as a test's independent view of the data. */
    public synchronized Response command(Command command, Object... args) {
        try {
            if (client == null) {
                RedisOptions options = new RedisOptions().setConnectionString(url());
                if (password != null) {
                    options.setPassword(password);
                }
                client = Redis.createClient(vertx, options);
            }
            Request r = Request.cmd(command);
            for (Object a : args) {
                r.arg(a.toString());
            }
            return client.send(r).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("redis " + command + " failed: " + e.getMessage(), e);
        }
    }

    /** The integer value of every key matching {@code pattern}, summed; 0 when none exists. */
    public long sum(String pattern) {
        long total = 0;
        for (Response key : command(Command.KEYS, pattern)) {
            Response v = command(Command.GET, key.toString());
            total += v == null ? 0 : v.toLong();
        }
        return total;
    }

    /** Keys matching {@code pattern}. */
    public List<String> keys(String pattern) {
        List<String> out = new ArrayList<>();
        for (Response key : command(Command.KEYS, pattern)) {
            out.add(key.toString());
        }
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        vertx.close();
    }
}
