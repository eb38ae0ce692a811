package io.agentgateway.observe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of sealed audit lines as the bytes the outputs write: each line's UTF-8 followed by a
 * newline, in one array reused from batch to batch, so a line is never held as a String on its
 * way to a file or stdout (that String, and its encoding back to bytes, were half of what auditing
 * an exchange allocated). Outputs that want text ({@link #strings()}) decode it then. Confined to
 * the audit writer thread; {@link #clear()} starts the next batch.
 */
final class AuditLines {
    private static final int INITIAL = 64 * 1024;
    /** A batch that grew past this (large payloads) gives its array back when cleared. */
    private static final int KEEP = 1024 * 1024;

    private byte[] bytes = new byte[INITIAL];
    private int size;
    /** Where each line starts; line i ends before the newline at {@code starts[i + 1] - 1} (or {@link #size} - 1). */
    private int[] starts = new int[64];
    private int count;

    /** Appends the line in {@code line[0..length)} (no newline in it). */
    void add(byte[] line, int length) {
        if (size + length + 1 > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length + 1));
        }
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = size;
        System.arraycopy(line, 0, bytes, size, length);
        size += length;
        bytes[size++] = '\n';
    }

    void clear() {
        size = 0;
        count = 0;
        if (bytes.length > KEEP) {
            bytes = new byte[INITIAL];
        }
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The batch's bytes, {@code [0, length())}: every line with its newline. Valid until {@link #clear()}. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return size;
    }

    /** Line {@code i} as text, without its newline. */
    String line(int i) {
        int start = starts[i];
        int end = i + 1 < count ? starts[i + 1] - 1 : size - 1;
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** Every line as text, in order (decoded now). */
    List<String> strings() {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(line(i));
        }
        return out;
    }
}
