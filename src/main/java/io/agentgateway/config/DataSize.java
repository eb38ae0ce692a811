package io.agentgateway.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size in bytes, written in YAML as {@code 32MiB}, {@code 512KiB}, {@code 1MB} or a plain byte count. */
public record DataSize(long bytes) {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([KMG]i?B|B)?", Pattern.CASE_INSENSITIVE);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    public static DataSize ofMebibytes(long n) {
        return new DataSize(n * 1024 * 1024);
    }

    public static DataSize ofKibibytes(long n) {
        return new DataSize(n * 1024);
    }

    /** Parses the YAML form; throws IllegalArgumentException naming the accepted forms. */
    public static DataSize parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a size (like 512KiB, 32MiB or 1048576)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1000L;
            case "KIB" -> 1024L;
            case "MB" -> 1000L * 1000;
            case "MIB" -> 1024L * 1024;
            case "GB" -> 1000L * 1000 * 1000;
            case "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return new DataSize(Math.multiplyExact(n, factor));
    }

    @Override
    public String toString() {
        if (bytes % (1024 * 1024) == 0 && bytes > 0) {
            return bytes / (1024 * 1024) + "MiB";
        }
        if (bytes % 1024 == 0 && bytes > 0) {
            return bytes / 1024 + "KiB";
        }
        return Long.toString(bytes);
    }
}
