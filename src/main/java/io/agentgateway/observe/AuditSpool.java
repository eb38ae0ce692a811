package io.agentgateway.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeSet;

/**
 * Audit events waiting on disk for a cluster to come back: numbered files of JSON lines, replayed
 * oldest first, each removed once delivered. Written atomically (temp file, then rename) so a crash
 * never leaves half a batch. Events refused for good go to {@code dead-letters.jsonl}.
 *
 * <p>Used by one sender thread at a time (callers synchronise).
 */
final class AuditSpool {
    private static final String PREFIX = "spool-";
    private static final String SUFFIX = ".jsonl";

    /** One spooled file and its lines. */
    record Batch(Path file, List<String> lines) {
    }

    private final Path dir;
    private final TreeSet<Path> files = new TreeSet<>();
    private long next;

    AuditSpool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> existing = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path p : existing) {
                files.add(p);
                next = Math.max(next, number(p) + 1);
            }
        }
    }

    synchronized boolean hasBatches() {
        return !files.isEmpty();
    }

    synchronized Batch oldest() throws IOException {
        Path p = files.first();
        return new Batch(p, Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList());
    }

    /** Replaces a replayed batch with what is left of it (nothing: the file goes). */
    synchronized void replace(Batch batch, List<String> left) throws IOException {
        if (left.isEmpty()) {
            Files.deleteIfExists(batch.file());
            files.remove(batch.file());
        } else {
            writeAtomically(batch.file(), left);
        }
    }

    synchronized void append(List<String> lines) throws IOException {
        if (lines.isEmpty()) {
            return;
        }
        Path p = dir.resolve(String.format("%s%019d%s", PREFIX, next++, SUFFIX));
        writeAtomically(p, lines);
        files.add(p);
    }

    synchronized void deadLetters(List<String> lines) throws IOException {
        Files.write(dir.resolve("dead-letters.jsonl"), lines, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void writeAtomically(Path target, List<String> lines) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long number(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
