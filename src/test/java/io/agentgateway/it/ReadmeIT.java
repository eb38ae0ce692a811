package io.agentgateway.it;

import io.agentgateway.testing.ManualClock;
import io.agentgateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README cannot drift: every shell session it shows (a {@code console} block: {@code $ }
 * commands, each followed by its output) is run with bash and curl against
 * {@code examples/quickstart.yaml}, started as it is shipped but on ephemeral ports, and each
 * command's output must be what the README shows. Ids, times, durations and remaining budgets are
 * masked on both sides ({@link ShownOutput}); {@code ...} in the README stands for any text.
 * {@code bin/agentgateway} runs the same {@code Main} from this build's classes.
 */
class ReadmeIT {
    static final Map<String, String> PORTS = Map.of("llm", "8080", "mcp", "8081", "a2a", "8082");
    static TestGateway gateway;

    @BeforeAll
    static void startTheQuickstart() throws Exception {
        String yaml = Files.readString(Path.of("examples/quickstart.yaml"));
        for (String port : List.of("8080", "8081", "8082", "15000")) {
            assertThat(yaml).contains("port: " + port);
            yaml = yaml.replace("port: " + port, "port: 0");
        }
        // Time stands still for the gateway: a budget window cannot roll over between the README's
        // fifth and sixth request.
        gateway = TestGateway.start(yaml, Map.of(), ManualClock.at("2026-06-01T10:00:30Z"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everySessionInTheReadmeRunsAsShown() throws Exception {
        assumeTrue(OS.current() != OS.WINDOWS, "the README's sessions are bash");
        List<ShellSession.Command> commands = ShellSession.parse(Files.readString(Path.of("README.md")));
        assertThat(commands).hasSizeGreaterThan(10);
        List<String> outputs = run(commands);
        for (int i = 0; i < commands.size(); i++) {
            ShellSession.Command c = commands.get(i);
            assertThat(ShownOutput.matches(c.output(), outputs.get(i)))
                    .as("README line %d: %s%n--- the README shows (masked) ---%n%s%n--- it printed (masked) ---%n%s", c.line(),
                            c.text(), ShownOutput.masked(c.output()), ShownOutput.masked(outputs.get(i)).replace("\t", "\\t"))
                    .isTrue();
        }
    }

    @Test
    void noCurlSnippetGoesUnchecked() throws Exception {
        // A command whose output the README does not show (a plain sh block) is not checked: keep calls in sessions.
        for (String block : ShellSession.plainShellBlocks(Files.readString(Path.of("README.md")))) {
            assertThat(block).as("a plain sh block in the README").doesNotContain("curl");
        }
    }

    /** Runs every command in one bash, in order, so variables carry over; returns each one's output. */
    private List<String> run(List<ShellSession.Command> commands) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A folder of its own (the sessions may write files), seeing the repository's bin/ and examples/.
        Path work = Files.createTempDirectory("readme");
        for (String shared : List.of("bin", "examples")) {
            Files.createSymbolicLink(work.resolve(shared), Path.of(shared).toAbsolutePath());
        }
        StringBuilder script = new StringBuilder("cd '").append(work).append("'\n")
                .append("agentgateway_from_classes() { '").append(java).append("' --enable-native-access=ALL-UNNAMED -cp \"$AG_CLASSPATH\" io.agentgateway.cli.Main \"$@\"; }\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("printf '\\n").append(ShellSession.MARK).append(i).append("\\n'\n")
                    .append(localize(commands.get(i).text())).append('\n');
        }
        script.append("printf '\\n").append(ShellSession.MARK).append("end\\n'\n");
        Path file = Files.createTempFile("readme", ".sh");
        Files.writeString(file, script);
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", file.toString()).redirectErrorStream(true);
        pb.environment().put("AG_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Files.writeString(Path.of("target", "readme-sessions.txt"), all); // for a failure's diagnosis
        List<String> out = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            String start = "\n" + ShellSession.MARK + i + "\n";
            String end = "\n" + ShellSession.MARK + (i + 1 < commands.size() ? String.valueOf(i + 1) : "end") + "\n";
            int from = all.indexOf(start);
            int to = all.indexOf(end);
            assertThat(from).as("output of command %d in:%n%s", i, all).isNotNegative();
            out.add(globalize(all.substring(from + start.length(), to)));
        }
        return out;
    }

    /** The README's fixed ports become the test gateway's; bin/agentgateway runs this build's classes. */
    private static String localize(String command) {
        String out = command.replace("bin/agentgateway ", "agentgateway_from_classes ");
        for (Map.Entry<String, String> e : PORTS.entrySet()) {
            out = out.replace("localhost:" + e.getValue(), "localhost:" + gateway.port(e.getKey()));
        }
        return out.replace("localhost:15000", "localhost:" + adminPort());
    }

    /** The test gateway's ports in what a command printed become the README's. */
    private static String globalize(String output) {
        String out = output.replace("\r", "");
        for (Map.Entry<String, String> e : PORTS.entrySet()) {
            out = out.replace("localhost:" + gateway.port(e.getKey()), "localhost:" + e.getValue());
        }
        return out.replace("localhost:" + adminPort(), "localhost:15000");
    }

    private static int adminPort() {
        String url = gateway.adminUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }
}
