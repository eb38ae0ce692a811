package io.agentgateway.observe;

import java.io.IOException;
import java.util.List;

/**
 * One audit destination. Called only from the audit writer thread, in order, with finished JSON
 * lines (no trailing newline); may block that thread, never a request. A sink that cannot deliver
 * keeps the lines (memory or spool) and retries: audit events are not dropped.
 */
interface AuditSink extends AutoCloseable {
    void write(List<String> lines) throws IOException;

    /**
     * Writes one batch given as the bytes of its lines (each followed by a newline). Outputs that
     * write bytes override it to take them as they are; others get the lines as text.
     */
    default void write(AuditLines lines) throws IOException {
        write(lines.strings());
    }

    /** Gives the sink a chance to retry or flush on the writer's heartbeat (every flush interval). */
    default void tick() throws IOException {
    }

    @Override
    void close() throws IOException;
}
