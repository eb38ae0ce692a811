package io.agentgateway.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an audit file's hash chains ({@code agentgateway audit verify}): every line's hash matches
 * its content (no line edited), and every line's {@code prev_hash} is the hash of the line before it
 * from the same gateway (no line deleted, inserted or reordered). Chains are per gateway instance,
 * so files merged from several replicas verify too.
 */
public final class AuditVerifier {
    /** What a verification found: problems fail it, notes (a chain restarting) do not. */
    public record Report(int events, List<String> problems, List<String> notes) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    private AuditVerifier() {
    }

    public static Report verify(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> lastHash = new HashMap<>();
        Map<String, Integer> lastLine = new HashMap<>();
        int events = 0;
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode event;
                try {
                    event = AuditEvents.parse(line);
                } catch (IllegalArgumentException e) {
                    problems.add("line " + n + ": not a JSON object");
                    continue;
                }
                events++;
                if (!AuditEvents.verifyHash(event)) {
                    problems.add("line " + n + ": hash does not match the content (the line was edited)");
                }
                String gateway = event.path("gateway").asText("");
                String prev = event.path("prev_hash").asText("");
                String expected = lastHash.get(gateway);
                if (expected == null) {
                    if (!prev.equals(AuditEvents.GENESIS)) {
                        notes.add("line " + n + ": the chain of gateway " + gateway + " begins mid-way (earlier events are in another file)");
                    }
                } else if (prev.equals(AuditEvents.GENESIS)) {
                    notes.add("line " + n + ": gateway " + gateway + " restarted its chain (a restart without a file output to resume from)");
                } else if (!prev.equals(expected)) {
                    problems.add("line " + n + ": prev_hash is not the hash of line " + lastLine.get(gateway)
                            + " (an event of gateway " + gateway + " was deleted, inserted or moved)");
                }
                lastHash.put(gateway, event.path("hash").asText(""));
                lastLine.put(gateway, n);
            }
        }
        return new Report(events, problems, notes);
    }
}
