package io.agentgateway.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Audit lines to stdout (the container log the cluster's collector ships). */
final class StreamAuditSink implements AuditSink {
    private final OutputStream out;

    StreamAuditSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(List<String> lines) throws IOException {
        StringBuilder batch = new StringBuilder(lines.size() * 512);
        for (String line : lines) {
            batch.append(line).append('\n');
        }
        out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
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
        out.flush();
    }
}
