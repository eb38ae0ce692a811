package io.agentgateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config's duration syntax: one or more {@code <number><unit>} parts with units
 * {@code ms, s, m, h, d} ({@code 500ms}, {@code 30s}, {@code 24h}, {@code 7d}, {@code 1h30m}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses the config form; throws IllegalArgumentException when the text is not a duration or
     * does not fit in a long count of milliseconds (so {@link Duration#toMillis()} never overflows
     * on a parsed value).
     */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is not a duration (like 500ms, 30s, 5m, 24h, 7d)");
        }
        Matcher m = PART.matcher(s);
        long totalMillis = 0;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("is not a duration (like 500ms, 30s, 5m, 24h, 7d)");
            }
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            try {
                totalMillis = Math.addExact(totalMillis, Math.multiplyExact(Long.parseLong(m.group(1)), unitMillis));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("is too long to be a duration");
            }
            at = m.end();
        }
        return Duration.ofMillis(totalMillis);
    }

    /** The shortest config form of a duration, the inverse of {@link #parse}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sizes.length; i++) {
            if (ms >= sizes[i]) {
                out.append(ms / sizes[i]).append(units[i]);
                ms %= sizes[i];
            }
        }
        return out.toString();
    }
}
