package io.agentgateway.observe;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Audit lines appended to a file (JSON Lines), flushed per batch. */
final class FileAuditSink implements AuditSink {
    private final Path path;
    private final OutputStream out;

    FileAuditSink(Path path) throws IOException {
        this.path = path;
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
    }

    /** The last complete line of an existing audit file, so a restarted gateway continues its hash chain. */
    static String lastLine(Path path) throws IOException {
        if (!Files.isRegularFile(path) || Files.size(path) == 0) {
            return null;
        }
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long end = f.length() - 1;
            while (end >= 0) {
                f.seek(end);
                if (f.read() != '\n') {
                    break;
                }
                end--;
            }
            long start = end;
            while (start > 0) {
                f.seek(start - 1);
                if (f.read() == '\n') {
                    break;
                }
                start--;
            }
            byte[] line = new byte[(int) (end - start + 1)];
            f.seek(start);
            f.readFully(line);
            return new String(line, StandardCharsets.UTF_8);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void write(List<String> lines) throws IOException {
        for (String line : lines) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        out.flush();
    }

    /** The batch's bytes as they are: no line is decoded or encoded again. */
    @Override
    public void write(AuditLines lines) throws IOException {
        out.write(lines.array(), 0, lines.length());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
